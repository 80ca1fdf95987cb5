import Foundation

/// Names as people read them and as dedupe compares them.
///
/// The display form keeps what the MIS wrote (accents, apostrophes, hyphens) and only repairs what is
/// plainly a typing habit: extra spaces, and a name typed all in capitals (`DRIVER` → `Driver`). The
/// match key folds away everything two records of one person may differ in.
public enum NameNormaliser {
    /// Titles recognised in front of a forename or a whole name, lower-cased and without a full stop.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "reverend", "sir", "dame",
        "lady", "lord", "fr", "father", "sr", "sister", "capt", "major", "col", "rabbi", "imam",
    ]

    /// Lower-case words that belong to the family name that follows them (`van der Berg`, `de la Cruz`).
    static let familyParticles: Set<String> = [
        "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "st", "al", "el", "bin",
        "ben", "ap", "ter", "ten",
    ]

    /// Trimmed, inner runs of white space made one space, and title-cased when the whole value is in
    /// capitals. `nil` for a blank value.
    public static func displayForm(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if let plain = plainASCIIForm(raw) { return plain }
        let collapsed = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !collapsed.isEmpty else { return nil }
        let letters = collapsed.unicodeScalars.filter { $0.properties.isAlphabetic }
        // Two capitals are more likely initials ("MJ") than a shouted name.
        let shouting = letters.count > 2 && letters.allSatisfy { !$0.properties.isLowercase }
        return shouting ? titleCased(collapsed) : collapsed
    }

    /// The common case answered from the bytes alone: ASCII with single spaces. Names are
    /// read on every row of exports of a million rows, and Unicode property look-ups dominate otherwise.
    private static func plainASCIIForm(_ raw: String) -> String? {
        var bytes = raw
        return bytes.withUTF8 { plainASCIIForm($0, source: raw) }
    }

    /// `displayForm` of a value's bytes when they are plain ASCII (see `plainASCIIForm`), so that a CSV
    /// reader makes one string per name; `nil` when the value needs the general path.
    static func displayForm(plainASCII bytes: UnsafeBufferPointer<UInt8>) -> String? {
        plainASCIIForm(bytes, source: nil)
    }

    /// `source`, when given, is the string of `bytes`, returned as it is when nothing changes.
    private static func plainASCIIForm(_ bytes: UnsafeBufferPointer<UInt8>, source: String?) -> String? {
        var capitals = 0
        var lowercase = false
        var previousSpace = true
        for byte in bytes {
            if byte >= 0x80 || byte < 0x20 { return nil }
            if byte == 0x20 {
                if previousSpace { return nil }
                previousSpace = true
                continue
            }
            previousSpace = false
            if byte >= 0x61 && byte <= 0x7A { lowercase = true } else if byte >= 0x41 && byte <= 0x5A { capitals += 1 }
        }
        guard !previousSpace else { return nil }
        if lowercase || capitals <= 2 { return source ?? String(decoding: bytes, as: UTF8.self) }
        // Shouted ASCII (`DRIVER`, `O'NEILL-SMITH`): title-cased from the bytes.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { cased in
            var startOfWord = true
            for index in bytes.indices {
                let byte = bytes[index]
                cased[index] = !startOfWord && byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                startOfWord = byte == 0x20 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")
            }
            return String(decoding: UnsafeBufferPointer(cased), as: UTF8.self)
        }
    }

    /// The key dedupe compares: case and accents folded, and spaces, hyphens, apostrophes and full stops
    /// left out, so `Jalapeño-Pérez`, `JALAPENO PEREZ` and `jalapeno-perez` match.
    public static func matchKey(_ raw: String?) -> String {
        guard let raw else { return "" }
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII needs no accent folding: letters lower-cased and digits kept, straight from the bytes
            // into a buffer on the stack.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.utf8.count) { key in
                var count = 0
                for byte in raw.utf8 {
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): key[count] = byte
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"): key[count] = byte + 0x20
                    default: continue
                    }
                    count += 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: key[0..<count]), as: UTF8.self)
            }
        }
        let folded = raw.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var key = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            key.append(scalar)
        }
        return String(key).lowercased()
    }

    /// Splits a title typed in front of a forename: `Mrs Jane` → (`Mrs`, `Jane`). A forename that is
    /// only a title word (`Miss`) is left alone: there is nothing after it to be the name.
    public static func splitTitle(fromGiven given: String) -> (title: String?, given: String) {
        // Nearly every forename is one word: an ASCII name without white space is answered from its
        // bytes. Splitting it by `Character` (grapheme breaking, a Unicode property look-up per
        // character) was about 1.6 % of a 100k no-op run, for every contact read.
        if hasNoASCIISpaceAndIsASCII(given) { return (nil, given) }
        // An ASCII forename with a space (`Mrs Sarah`, one in twenty-five in a local authority's exports)
        // from its bytes too: by `Character`s it cost some 13,000 instructions.
        if let split = splitTitleASCII(fromGiven: given) { return split }
        return splitTitleByCharacters(fromGiven: given)
    }

    /// `splitTitle` of an ASCII forename, from its bytes; `nil` when a byte is not ASCII. Words are split
    /// at the ASCII bytes `Character.isWhitespace` calls white space, as `splitTitleByCharacters` does.
    static func splitTitleASCII(fromGiven given: String) -> (title: String?, given: String)? {
        var text = given
        return text.withUTF8 { bytes -> (title: String?, given: String)? in
            for byte in bytes where byte >= 0x80 { return nil }
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
            var index = 0
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            let first = index
            while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
            let firstEnd = index
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            // One word or none: nothing to split.
            guard index < bytes.count else { return (nil, given) }
            var keyEnd = firstEnd
            if bytes[keyEnd - 1] == UInt8(ascii: ".") { keyEnd -= 1 }
            let key = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, keyEnd - first)) { lower in
                for offset in 0..<(keyEnd - first) {
                    let byte = bytes[first + offset]
                    lower[offset] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                }
                return String(decoding: UnsafeBufferPointer(rebasing: lower[0..<(keyEnd - first)]), as: UTF8.self)
            }
            guard titles.contains(key) else { return (nil, given) }
            // The other words, one space between each.
            let rest = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { joined in
                var count = 0
                while index < bytes.count {
                    if count > 0 {
                        joined[count] = 0x20
                        count += 1
                    }
                    while index < bytes.count, !isSpace(bytes[index]) {
                        joined[count] = bytes[index]
                        count += 1
                        index += 1
                    }
                    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: joined[0..<count]), as: UTF8.self)
            }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<firstEnd]), as: UTF8.self), rest)
        }
    }

    /// True when `text` is ASCII with no byte `Character.isWhitespace` calls white space (tab, line
    /// feed, vertical tab, form feed, carriage return, space): then it splits into at most one word.
    static func hasNoASCIISpaceAndIsASCII(_ text: String) -> Bool {
        func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for byte in bytes where byte >= 0x80 || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return false }
            return true
        }
        return text.utf8.withContiguousStorageIfAvailable(check) ?? false
    }

    /// `splitTitle` by `Character`s, for every name: the form the fast answer is tested against.
    static func splitTitleByCharacters(fromGiven given: String) -> (title: String?, given: String) {
        let words = given.split(whereSeparator: \.isWhitespace)
        guard words.count > 1, isTitle(words[0]) else { return (nil, given) }
        return (String(words[0]), words.dropFirst().joined(separator: " "))
    }

    /// Splits one name field holding a whole name (`Mr Conor Jones`, `Anna Mary Daly`, `Jan van der Berg`)
    /// into title, given, middle and family names. `nil` for a blank value.
    public static func splitFullName(_ raw: String?) -> PersonName? {
        guard let display = displayForm(raw) else { return nil }
        var words = display.split(separator: " ").map(String.init)
        var title: String?
        if words.count > 1, isTitle(Substring(words[0])) {
            title = words.removeFirst()
        }
        var familyStart = words.count - 1
        while familyStart > 1, familyParticles.contains(words[familyStart - 1].lowercased()),
            words[familyStart - 1].first?.isLowercase == true
        {
            familyStart -= 1
        }
        let family = words[familyStart...].joined(separator: " ")
        let given = familyStart > 0 ? words[0] : nil
        let middle = familyStart > 1 ? words[1..<familyStart].joined(separator: " ") : nil
        return PersonName(title: title, given: given, middle: middle, family: family)
    }

    static func isTitle(_ word: Substring) -> Bool {
        var key = word.lowercased()
        if key.hasSuffix(".") { key.removeLast() }
        return titles.contains(key)
    }

    /// `o'neill-SMITH` → `O'Neill-Smith`: a capital after the start, a space, a hyphen or an apostrophe.
    static func titleCased(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var startOfWord = true
        for character in text {
            result += startOfWord ? character.uppercased() : character.lowercased()
            startOfWord = character == " " || character == "-" || character == "'" || character == "’"
        }
        return result
    }
}
