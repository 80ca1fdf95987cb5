/// UK postcodes in one spelling: upper case, one space before the inward code (`SW1A 1AA`).
public enum PostcodeNormaliser {
    /// The normalised postcode, or `nil` when the value does not have the shape of a UK postcode.
    public static func normalise(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let compact = raw.uppercased().filter { !$0.isWhitespace }
        guard (5...7).contains(compact.count) else { return nil }
        let inward = compact.suffix(3)
        let outward = compact.dropLast(3)
        guard isInward(inward), isOutward(outward) else { return nil }
        return "\(outward) \(inward)"
    }

    /// Digit then two letters (`1AA`).
    private static func isInward(_ part: Substring) -> Bool {
        let characters = Array(part)
        return characters[0].isASCIIDigit && characters[1].isASCIILetter && characters[2].isASCIILetter
    }

    /// One or two letters, then a digit, then an optional digit or letter (`B1`, `SW1A`, `M60`, `EC1V`);
    /// `GIR` for Girobank's `GIR 0AA`.
    private static func isOutward(_ part: Substring) -> Bool {
        if part == "GIR" { return true }
        let characters = Array(part)
        guard (2...4).contains(characters.count), characters[0].isASCIILetter else { return false }
        let area = characters[1].isASCIILetter ? 2 : 1
        guard area < characters.count, characters[area].isASCIIDigit else { return false }
        let rest = characters[(area + 1)...]
        return rest.count <= 1 && rest.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}
