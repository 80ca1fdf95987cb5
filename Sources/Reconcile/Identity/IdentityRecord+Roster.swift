import Roster

extension IdentityRecord {
    /// The identity view of one roster contact and its links in one source.
    ///
    /// - Parameters:
    ///   - source: names the source (its config path), so contacts of one pupil count as distinct
    ///     people only within it.
    ///   - links: the contact's links in that source.
    public init(contact: Contact, links: some Collection<ContactLink>, source: String) {
        var stated = MatchForm.Stated()
        for link in links { stated.add(link.relationship) }
        // Made by the one form `ParentResolver` uses, a table of this one record.
        var table = RecordTable()
        let source = table.sourceNumber(source)
        withUnsafePointer(to: contact) { table.append(contact: $0, stated: stated, source: source) }
        self = table.record(0, pupils: links.map { $0.pupil.schoolID + "/" + $0.pupil.pupilID })
    }
}

extension RecordTable {
    /// Adds the core of one roster contact (`addCore`), its links given as positions in `links`: the
    /// relationships read in place, where copying each link (half a dozen strings) showed for a local
    /// authority. `contact` where it lies, each value read in place: taken owned, or even borrowed from
    /// an array's buffer, every contact of a run was copied (a dozen strings and arrays retained, then
    /// released) on its way in.
    mutating func appendCore(contact: UnsafePointer<Contact>, linkPositions: ArraySlice<Int32>, of links: [ContactLink], source: Int32) {
        // A plain loop: the relationships as a lazy sequence went through an unspecialised generic
        // function here, thousands of instructions a record.
        var stated = MatchForm.Stated()
        for position in linkPositions { stated.add(links[Int(position)].relationship) }
        appendCore(contact: contact, stated: stated, source: source)
    }

    /// - Parameter stated: what the contact's links' relationships state.
    mutating func appendCore(contact: UnsafePointer<Contact>, stated: MatchForm.Stated, source: Int32) {
        let reference = contact.pointee.reference
        var contactID: String?
        if case .contactID(let id) = reference.key { contactID = id }
        // Names met before (most of a local authority's) are looked up, not split and folded again.
        let (given, typedTitle) = givenNumber(raw: contact.pointee.name.given ?? "")
        addCore(
            reference: IdentityRecord.text(of: reference), contactID: contactID, source: source,
            school: reference.schoolID, given: given,
            sex: MatchForm.sex(title: contact.pointee.name.title ?? typedTitle, stated: stated), generation: stated.generation)
    }

    /// Adds the values of one roster contact (`addValues`): its e-mails, UK mobiles, family name and address.
    mutating func appendValues(contact: UnsafePointer<Contact>) {
        // By index: a `for` over the values copied each (two strings apiece).
        let emails = contact.pointee.emails
        for email in emails.indices {
            if let normalised = emails[email].normalised { addEmail(normalised) }
        }
        let phones = contact.pointee.phones
        for phone in phones.indices {
            if let e164 = phones[phone].e164, MatchForm.isUKMobile(e164) { addMobile(e164) }
        }
        addValues(family: familyNumber(raw: contact.pointee.name.family), address: addressNumber(contact.pointee.address))
    }

    /// Adds the whole of one roster contact.
    mutating func append(contact: UnsafePointer<Contact>, stated: MatchForm.Stated, source: Int32) {
        appendCore(contact: contact, stated: stated, source: source)
        appendValues(contact: contact)
    }
}

extension IdentityRecord {
    /// `reference.description`, written into one string: its `school + "/" + id` builds an intermediate
    /// string on the way (and a position's a third), a heap buffer apiece for a million references.
    static func text(of reference: ContactReference) -> String {
        var school = reference.schoolID
        switch reference.key {
        case .contactID(var contact):
            return school.withUTF8 { school in contact.withUTF8 { joinedBySlashes(school, $0, nil) } }
        case .position(var pupil, let index):
            var position = String(index)
            return school.withUTF8 { school in
                pupil.withUTF8 { pupil in position.withUTF8 { joinedBySlashes(school, pupil, $0) } }
            }
        }
    }

    /// `first/second` or `first/second/third`, written once.
    private static func joinedBySlashes(
        _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, _ third: UnsafeBufferPointer<UInt8>?
    ) -> String {
        let length = first.count + 1 + second.count + (third.map { 1 + $0.count } ?? 0)
        return String(unsafeUninitializedCapacity: length) { out in
            var count = 0
            func append(_ part: UnsafeBufferPointer<UInt8>) {
                _ = out[count...].initialize(fromContentsOf: part)
                count += part.count
            }
            append(first)
            out[count] = UInt8(ascii: "/")
            count += 1
            append(second)
            if let third {
                out[count] = UInt8(ascii: "/")
                count += 1
                append(third)
            }
            return count
        }
    }
}

/// How roster values become the match forms identity resolution compares. Folding itself is Roster's
/// (`NameNormaliser.matchKey`); this only keeps the word boundaries that matching needs and reads the
/// sex and generation that titles and relationships state.
enum MatchForm {
    /// Each word of a name folded by `NameNormaliser.matchKey`, joined by single spaces, so
    /// "Smith-Jones" keeps two words for the double-barrelled rule.
    static func name(_ raw: String?) -> String {
        guard let raw else { return "" }
        if let ascii = withASCII(raw, { bytes in
            // Most names fit a small string: written straight into it, with no heap buffer.
            String(unsafeUninitializedCapacity: bytes.count) { asciiWords(bytes, into: $0, separators: nameSeparators) }
        }) {
            return ascii
        }
        var words: [String] = []
        for word in raw.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\u{2010}" || $0 == "\u{2013}" }) {
            let key = foldWord(word)
            if !key.isEmpty { words.append(key) }
        }
        return words.joined(separator: " ")
    }

    /// `body` over the string's UTF-8 bytes in place when they are all ASCII (most names and addresses),
    /// nil otherwise: one pass over contiguous bytes, where the string's UTF-8 view walked them slower.
    static func withASCII<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        var string = string
        return string.withUTF8 { bytes in
            var high: UInt8 = 0
            for byte in bytes { high |= byte }
            return high < 0x80 ? body(bytes) : nil
        }
    }

    /// The ASCII shortcut of `name` and `address`: letters lower-cased, digits kept, `separators` ending
    /// a word, anything else dropped (as `NameNormaliser.matchKey` drops it), words joined by one space;
    /// written to `out` (at least as long as `bytes`), returning the length.
    /// `separators` holds one bit per ASCII byte below 64 (space, hyphen, comma): a mask, not a `Set`,
    /// because a `Set` literal here was built anew on each of two million calls.
    static func asciiWords(
        _ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, separators: UInt64
    ) -> Int {
        var count = 0
        for byte in bytes {
            switch byte {
            case 0x41...0x5A:
                out[count] = byte + 0x20
                count += 1
            case 0x61...0x7A, 0x30...0x39:
                out[count] = byte
                count += 1
            default:
                if byte < 64, separators & (1 << UInt64(byte)) != 0, count > 0, out[count - 1] != 0x20 {
                    out[count] = 0x20
                    count += 1
                }
            }
        }
        if count > 0, out[count - 1] == 0x20 { count -= 1 }
        return count
    }

    /// Word separators of names (space, hyphen) and of address lines (and comma), for `asciiWords`.
    static let nameSeparators: UInt64 = 1 << 0x20 | 1 << 0x2D
    static let addressSeparators: UInt64 = 1 << 0x20 | 1 << 0x2C | 1 << 0x2D

    /// `NameNormaliser.matchKey` of one word, then the letters it leaves whole spelled out as
    /// `ASCIIFolding` spells them (ø, ł, ß, æ: "Nørgaard" is typed "Norgaard" as often as not).
    /// Plain ASCII words (most names in most exports) take a shortcut with the same result:
    /// Foundation's folding costs microseconds a call, and a local authority's million records would
    /// spend seconds in it.
    static func foldWord(_ word: Substring) -> String {
        guard word.utf8.allSatisfy({ $0 < 0x80 }) else {
            var key = ""
            for scalar in NameNormaliser.matchKey(String(word)).unicodeScalars {
                if let spelled = ASCIIFolding.spelledOut[scalar] { key += spelled } else { key.unicodeScalars.append(scalar) }
            }
            return key
        }
        var key = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A: key.append(Unicode.Scalar(scalar.value + 0x20)!)
            case 0x61...0x7A, 0x30...0x39: key.append(scalar)
            default: continue
            }
        }
        return String(key)
    }

    /// UK mobile numbers (`+447…`), wherever the MIS filed them: offices often type a mobile into the
    /// home phone column. Landlines are left out, because a household shares them.
    static func isUKMobile(_ e164: String) -> Bool { e164.hasPrefix("+447") }

    /// Street words written short or long in different schools' MIS.
    static let streetWords: [String: String] = [
        "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive",
        "cl": "close", "ct": "court", "cres": "crescent", "gdns": "gardens", "pl": "place", "sq": "square",
        "tce": "terrace", "terr": "terrace", "gr": "grove", "pk": "park", "wy": "way",
    ]

    /// The street words packed as integers (`packedWord`), for `asciiAddress`: seventeen integer
    /// comparisons cost less than hashing a word for the dictionary, or than comparing it byte by byte
    /// with each short form (which cost a thousand instructions an address).
    static let streetTable: [(short: UInt64, long: String)] = streetWords.map { (packedWord($0.key.utf8), $0.value) }

    /// A word of at most 7 bytes as one integer: its bytes, then its length in the low byte, so that
    /// two such words are equal exactly when their integers are.
    static func packedWord<Word: Collection<UInt8>>(_ word: Word) -> UInt64 {
        var packed: UInt64 = 0
        for byte in word { packed = packed << 8 | UInt64(byte) }
        return packed << 8 | UInt64(word.count)
    }

    /// The first address line and the postcode, both normalised, or nil unless both are known.
    static func address(_ address: PostalAddress) -> String? {
        guard let postcode = address.normalisedPostcode, let line = address.lines.first else { return nil }
        if let ascii = withASCII(line, { asciiAddress($0, postcode) }) { return ascii }
        var words = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" })
            .map { foldWord($0) }.filter { !$0.isEmpty }.joined(separator: " ")
        guard !words.isEmpty else { return nil }
        // The street word is the line's last ("12 High St"); written short in one MIS, long in another.
        // Found on the bytes: `lastIndex(of:)` on the string walks it by grapheme, which showed on a
        // million addresses. A space is one byte, so the index is a character boundary.
        if let space = words.utf8.lastIndex(of: 0x20) {
            let last = words.utf8.index(after: space)
            // A street word is short, so the look-up key is a small string, with no heap buffer.
            if words.utf8.distance(from: last, to: words.utf8.endIndex) <= 5,
                let long = streetWords[String(words[last...])]
            {
                return joined(words[..<last].utf8, long, postcode)
            }
        } else if let long = streetWords[words] {
            words = long
        }
        return joined(words.utf8, "", postcode)
    }

    /// `address` of an ASCII line, on its bytes: the words written to a buffer on the stack, the street
    /// word looked up there, and one string made of the result.
    private static func asciiAddress(_ line: UnsafeBufferPointer<UInt8>, _ postcode: String) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(line.count, 1)) { buffer in
            let count = asciiWords(line, into: buffer, separators: addressSeparators)
            guard count > 0 else { return nil }
            // The street word is the line's last ("12 High St"); written short in one MIS, long in another.
            var start = 0
            if let space = buffer[..<count].lastIndex(of: 0x20) { start = space + 1 }
            var (keep, street) = (count, "")
            if count - start <= 5, case let word = packedWord(buffer[start..<count]),
                let long = streetTable.first(where: { $0.short == word })?.long
            {
                (keep, street) = (start, long)
            }
            return joined(buffer[..<keep], street, postcode)
        }
    }

    /// `line + street + "|" + postcode` written into one string: each `+` would build an intermediate
    /// string, a heap buffer apiece for a million addresses.
    private static func joined<Line: Collection<UInt8>>(_ line: Line, _ street: String, _ postcode: String) -> String {
        String(unsafeUninitializedCapacity: line.count + street.utf8.count + 1 + postcode.utf8.count) { out in
            var count = 0
            for byte in line {
                out[count] = byte
                count += 1
            }
            for byte in street.utf8 {
                out[count] = byte
                count += 1
            }
            out[count] = UInt8(ascii: "|")
            count += 1
            for byte in postcode.utf8 {
                out[count] = byte
                count += 1
            }
            return count
        }
    }

    /// The sex the title and every relationship state, when they agree (bit 1 female, bit 2 male).
    static func sex(title: String?, stated relationships: Stated) -> RecordedSex? {
        var stated = relationships.sex
        if let title {
            switch foldWord(Substring(title)) {
            case "mr", "sir", "lord": stated |= 2
            case "mrs", "miss", "ms", "dame", "lady": stated |= 1
            default: break
            }
        }
        return stated == 1 ? .female : stated == 2 ? .male : nil
    }

    /// What a contact's relationships state, gathered one link at a time: the sex (bit 1 female, bit 2
    /// male) and the generation (bit 1 parent, bit 2 grandparent).
    struct Stated {
        var sex: UInt8 = 0
        var generations: UInt8 = 0

        mutating func add(_ relationship: Relationship) {
            switch relationship {
            case .mother, .stepMother, .grandmother, .aunt: sex |= 1
            case .father, .stepFather, .grandfather, .uncle: sex |= 2
            default: break
            }
            switch relationship {
            case .mother, .father, .stepMother, .stepFather: generations |= 1
            case .grandmother, .grandfather, .grandparent: generations |= 2
            default: break
            }
        }

        /// The generation every relationship states, when they agree.
        var generation: Generation? { generations == 1 ? .parent : generations == 2 ? .grandparent : nil }
    }
}
