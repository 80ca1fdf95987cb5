/// "One slip apart": two spellings that one typing slip turns into each other — one letter changed,
/// added, dropped, or two neighbouring letters swapped (Damerau's four single errors, which cover most
/// misspellings typed into an MIS).
///
/// A bounded check, not a full edit-distance table: it walks both names once, so comparing the
/// candidates inside a block stays cheap.
public enum OneSlip {
    /// Whether `a` and `b` differ by exactly one slip. Equal strings are not one slip apart.
    public static func areOneSlipApart(_ a: String, _ b: String) -> Bool {
        areOneSlipApart(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// The same check on scalar arrays, for callers that already hold them.
    public static func areOneSlipApart(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        switch long.count - short.count {
        case 0:
            guard let first = firstDifference(short, long) else { return false }
            // One letter changed: the rest agrees.
            if short[(first + 1)...] == long[(first + 1)...] { return true }
            // Two neighbours swapped.
            let next = first + 1
            return next < short.count
                && short[first] == long[next] && short[next] == long[first]
                && short[(next + 1)...] == long[(next + 1)...]
        case 1:
            // One letter added to the shorter (or dropped from the longer).
            let first = firstDifference(short, long) ?? short.count
            return short[first...] == long[(first + 1)...]
        default:
            return false
        }
    }

    /// The first index where the two differ within the shorter one's length, if any.
    private static func firstDifference(_ short: [Unicode.Scalar], _ long: [Unicode.Scalar]) -> Int? {
        short.indices.first { short[$0] != long[$0] }
    }

    /// The position of the slip, counted in the longer string, or nil when they are not one slip apart.
    /// Name matching refuses slips at the last letter, where English names mark sex (Paul/Paula,
    /// Louis/Louise, Antonio/Antonia).
    public static func slipPosition(_ a: String, _ b: String) -> (index: Int, length: Int)? {
        let sa = Array(a.unicodeScalars), sb = Array(b.unicodeScalars)
        guard areOneSlipApart(sa, sb) else { return nil }
        let (short, long) = sa.count <= sb.count ? (sa, sb) : (sb, sa)
        return (firstDifference(short, long) ?? short.count, long.count)
    }
}
