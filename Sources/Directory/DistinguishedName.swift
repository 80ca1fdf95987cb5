/// A distinguished name (RFC 4514): a sequence of RDNs, most specific first.
///
/// Building a DN from raw values escapes them, so a parent called `Smith, John` or `#1 Dad` cannot change
/// where an entry goes. Parsing accepts the RFC 4514 string form (and the spaces around separators that
/// RFC 2253 producers emit).
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// One attribute type and value of an RDN. The value is the raw, unescaped text.
    public struct AttributeValueAssertion: Hashable, Sendable {
        public var type: String
        public var value: String
        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    /// A relative distinguished name: one or more assertions joined by `+`.
    public typealias RDN = [AttributeValueAssertion]

    /// The RDNs, most specific first (`uid=ann` before `ou=Parents`).
    public var rdns: [RDN]

    public init(rdns: [RDN]) { self.rdns = rdns }

    /// A DN made of one new RDN `type=value` under `parent`.
    public init(type: String, value: String, under parent: DistinguishedName) {
        self.rdns = [[AttributeValueAssertion(type: type, value: value)]] + parent.rdns
    }

    /// Parses the string form; throws `DNSyntaxError` naming the position of the first problem.
    public init(parsing text: String) throws(DNSyntaxError) {
        var parser = DNParser(text)
        self.rdns = try parser.parse()
    }

    /// The RFC 4514 string form, with every value escaped.
    public var description: String {
        rdns.map { rdn in
            rdn.map { "\($0.type)=\(Self.escape($0.value))" }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The DN one level up, or nil for the empty DN.
    public var parent: DistinguishedName? {
        rdns.isEmpty ? nil : DistinguishedName(rdns: Array(rdns.dropFirst()))
    }

    /// The first RDN's first value (`ann` in `uid=ann,ou=Parents`).
    public var leafValue: String? { rdns.first?.first?.value }

    /// A form for comparing DNs without the server: types and values case-folded, escaping made uniform.
    /// Right for the case-insensitive attributes used in RDNs here (`uid`, `cn`, `ou`, `dc`).
    public var comparisonKey: String {
        rdns.map { rdn in
            rdn.map { "\($0.type.lowercased())=\(Self.escape($0.value.lowercased()))" }
                .sorted().joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The comparison key of a DN string; a string that does not parse compares by its lower-cased text.
    ///
    /// A DN in the plain form servers return (`Subtree.isPlain`: ASCII, nothing escaped or quoted, no
    /// spaces around separators, single-valued RDNs) is its own comparison key once A–Z are folded, so it
    /// is not parsed (a run keys every managed entry by its DN).
    public static func comparisonKey(of dn: String) -> String {
        let plain = dn.utf8.withContiguousStorageIfAvailable { Subtree.isPlain($0) } ?? Subtree.isPlain(Array(dn.utf8))
        if plain {
            return String(unsafeUninitializedCapacity: dn.utf8.count) { buffer in
                var count = 0
                for byte in dn.utf8 {
                    buffer[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    count += 1
                }
                return count
            }
        }
        return (try? DistinguishedName(parsing: dn))?.comparisonKey ?? dn.lowercased()
    }

    /// True when `self` is `other` or lies below it.
    public func isWithin(_ other: DistinguishedName) -> Bool {
        guard rdns.count >= other.rdns.count else { return false }
        let tail = DistinguishedName(rdns: Array(rdns.suffix(other.rdns.count)))
        return tail.comparisonKey == other.comparisonKey
    }

    /// Escapes an attribute value for the string form (RFC 4514 §2.4): `"` `+` `,` `;` `<` `>` `\`
    /// anywhere, `#` or a space at the start, a space at the end, and NUL as `\00`. Other characters,
    /// non-ASCII included, stay as they are (UTF-8).
    public static func escape(_ value: String) -> String {
        var out = ""
        let scalars = Array(value.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                out += "\\" + String(scalar)
            case "\u{0}":
                out += "\\00"
            case "#" where index == 0:
                out += "\\#"
            case " " where index == 0 || index == scalars.count - 1:
                out += "\\ "
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A DN string that does not follow RFC 4514.
public struct DNSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    /// Offset (in UTF-8 bytes, from 0) where the problem was found.
    public var offset: Int
    public var problem: String
    public var description: String { "invalid DN \"\(text)\" at character \(offset + 1): \(problem)" }
}

/// A hand-written RFC 4514 parser over the UTF-8 bytes: escapes are byte-level (`\C3\BC`), so decoding
/// happens once the value's bytes are collected.
private struct DNParser {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func parse() throws(DNSyntaxError) -> [DistinguishedName.RDN] {
        var rdns: [DistinguishedName.RDN] = []
        skipSpaces()
        if position == bytes.count { return [] }
        while true {
            var rdn: DistinguishedName.RDN = []
            while true {
                rdn.append(try parseAssertion())
                if peek() == UInt8(ascii: "+") { position += 1; continue }
                break
            }
            rdns.append(rdn)
            if position == bytes.count { return rdns }
            guard let separator = peek(), separator == UInt8(ascii: ",") || separator == UInt8(ascii: ";") else {
                throw fail("expected ',' between RDNs")
            }
            position += 1
        }
    }

    private mutating func parseAssertion() throws(DNSyntaxError) -> DistinguishedName.AttributeValueAssertion {
        skipSpaces()
        let typeStart = position
        while let byte = peek(), isTypeCharacter(byte) { position += 1 }
        guard position > typeStart else { throw fail("expected an attribute type") }
        let type = String(decoding: bytes[typeStart..<position], as: UTF8.self)
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else { throw fail("expected '=' after \"\(type)\"") }
        position += 1
        skipSpaces()
        if peek() == UInt8(ascii: "#") {
            return .init(type: type, value: try parseHexString())
        }
        return .init(type: type, value: try parseStringValue())
    }

    private mutating func parseStringValue() throws(DNSyntaxError) -> String {
        var value: [UInt8] = []
        // Unescaped trailing spaces are insignificant; escaped ones are kept.
        var significantLength = 0
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+"):
                return try decode(value.prefix(significantLength))
            case UInt8(ascii: "\\"):
                position += 1
                guard let next = peek() else { throw fail("a '\\' ends the DN") }
                if let high = hexValue(next), position + 1 < bytes.count, let low = hexValue(bytes[position + 1]) {
                    value.append(high << 4 | low)
                    position += 2
                } else if "\"+,;<>\\ #=".utf8.contains(next) {
                    value.append(next)
                    position += 1
                } else {
                    throw fail("'\\' must be followed by a special character or two hex digits")
                }
                significantLength = value.count
            case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), 0:
                throw fail("character must be escaped")
            case UInt8(ascii: " "):
                value.append(byte)
                position += 1
            default:
                value.append(byte)
                position += 1
                significantLength = value.count
            }
        }
        return try decode(value.prefix(significantLength))
    }

    /// `#` followed by the hex of a BER encoding: kept in its string form, as this client never needs it decoded.
    private mutating func parseHexString() throws(DNSyntaxError) -> String {
        let start = position
        position += 1
        while let byte = peek(), hexValue(byte) != nil { position += 1 }
        guard (position - start - 1) > 0, (position - start - 1) % 2 == 0 else { throw fail("bad hex string value") }
        let value = String(decoding: bytes[start..<position], as: UTF8.self)
        skipSpaces()
        return value
    }

    private func decode(_ value: ArraySlice<UInt8>) throws(DNSyntaxError) -> String {
        guard let string = String(validating: value, as: UTF8.self) else { throw fail("value is not UTF-8") }
        return string
    }

    private mutating func skipSpaces() { while peek() == UInt8(ascii: " ") { position += 1 } }
    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
    private func fail(_ problem: String) -> DNSyntaxError {
        DNSyntaxError(text: text, offset: min(position, bytes.count), problem: problem)
    }
    private func isTypeCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
