/// Whether DNs read from the server lie in one subtree, decided for hundreds of thousands of entries.
///
/// The answer is `DistinguishedName.isWithin` on the parsed DNs. Parsing every DN of a whole-tree read
/// costs more than the test, so a DN in the plain form servers return (ASCII, nothing escaped, no spaces
/// around separators, single-valued RDNs) is compared byte by byte, A–Z folded, with the base's
/// comparison key: in that form the bytes are the comparison key. Any other DN is parsed.
public struct Subtree: Sendable, Hashable {
    /// The base as parsed.
    public let base: DistinguishedName
    /// The base's comparison key, when it is itself in the plain form (else every DN is parsed).
    private let plainKey: [UInt8]?

    public init(_ base: DistinguishedName) {
        self.base = base
        let key = Array(base.comparisonKey.utf8)
        plainKey = Self.isPlain(key) ? key : nil
    }

    /// The subtree below `base`; throws `DNSyntaxError` when `base` is not a DN.
    public init(parsing base: String) throws(DNSyntaxError) {
        self.init(try DistinguishedName(parsing: base))
    }

    /// True when `dn` is the base or lies below it. A DN that does not parse is in no subtree.
    public func contains(_ dn: String) -> Bool {
        if let plainKey {
            let answer = dn.utf8.withContiguousStorageIfAvailable { Self.plainContains($0, key: plainKey) }
                ?? Self.plainContains(Array(dn.utf8), key: plainKey)
            if let answer { return answer }
        }
        guard let parsed = try? DistinguishedName(parsing: dn) else { return false }
        return parsed.isWithin(base)
    }

    /// The answer for a DN in the plain form, nil for any other DN.
    static func plainContains<C: RandomAccessCollection>(_ dn: C, key: [UInt8]) -> Bool? where C.Element == UInt8, C.Index == Int {
        guard isPlain(dn) else { return nil }
        guard dn.count >= key.count else { return false }
        let start = dn.endIndex - key.count
        if start > dn.startIndex && dn[start - 1] != UInt8(ascii: ",") { return false }
        var index = start
        for byte in key {
            let folded = dn[index] >= 0x41 && dn[index] <= 0x5A ? dn[index] | 0x20 : dn[index]
            if folded != byte { return false }
            index += 1
        }
        return true
    }

    /// ASCII, no escapes, quotes, `+` (multi-valued RDNs), `;`, `<`, `>`, `#` or NUL, and spaces only
    /// inside a value (none first, last, doubled or next to `,` or `=`): what the parser would keep as is.
    static func isPlain<C: RandomAccessCollection>(_ bytes: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var previous: UInt8 = 0x2C  // as if after a ',': a space first is not plain
        for byte in bytes {
            switch byte {
            case 0x80...0xFF, 0x00, UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"):
                return false
            case UInt8(ascii: " "):
                if previous == 0x2C || previous == 0x3D || previous == 0x20 { return false }
            case UInt8(ascii: ","), UInt8(ascii: "="):
                if previous == 0x20 { return false }
            default:
                break
            }
            previous = byte
        }
        return previous != 0x20
    }
}
