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
        slip(a, b) != nil
    }

    /// The position of the slip, counted in the longer string, or nil when they are not one slip apart.
    /// Name matching refuses slips at the last letter, where English names mark sex (Paul/Paula,
    /// Louis/Louise, Antonio/Antonia).
    public static func slipPosition(_ a: String, _ b: String) -> (index: Int, length: Int)? {
        // Most names are ASCII, where a byte is a letter: compared in place, with no array of scalars
        // for each of the million pairs of different names that share an address.
        if a.utf8.allSatisfy({ $0 < 0x80 }) && b.utf8.allSatisfy({ $0 < 0x80 }) {
            var a = a, b = b
            return a.withUTF8 { ua in b.withUTF8 { ub in slip(ua, ub) } }
        }
        return slip(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// The slip between two sequences of letters: its position in the longer, and the longer's length.
    private static func slip<C: RandomAccessCollection>(_ a: C, _ b: C) -> (index: Int, length: Int)?
    where C.Element: Equatable, C.Index == Int {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        let (s, l) = (short.startIndex, long.startIndex)
        // The first index where the two differ within the shorter one's length, if any.
        var first = 0
        while first < short.count, short[s + first] == long[l + first] { first += 1 }
        func restAgrees(_ shortFrom: Int, _ longFrom: Int) -> Bool {
            guard short.count - shortFrom == long.count - longFrom else { return false }
            var (i, j) = (shortFrom, longFrom)
            while i < short.count {
                if short[s + i] != long[l + j] { return false }
                i += 1
                j += 1
            }
            return true
        }
        switch long.count - short.count {
        case 0:
            guard first < short.count else { return nil }
            // One letter changed: the rest agrees.
            if restAgrees(first + 1, first + 1) { return (first, long.count) }
            // Two neighbours swapped.
            let next = first + 1
            if next < short.count, short[s + first] == long[l + next], short[s + next] == long[l + first],
                restAgrees(next + 1, next + 1)
            {
                return (first, long.count)
            }
            return nil
        case 1:
            // One letter added to the shorter (or dropped from the longer).
            return restAgrees(first, first + 1) ? (first, long.count) : nil
        default:
            return nil
        }
    }
}
