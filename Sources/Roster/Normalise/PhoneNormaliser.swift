/// UK phone numbers to E.164 (`+447700900123`), as MIS offices type them.
public enum PhoneNormaliser {
    /// E.164, or `nil` when the value cannot be read as a phone number.
    ///
    /// Accepts `07…`, `+44 7…`, `+44 (0)7…`, `0044…`, spaces, dashes, dots and brackets, and a UK mobile
    /// whose leading zero a spreadsheet dropped (`7700900123`). A number written with another country's
    /// `+` or `00` prefix is kept in E.164 as written.
    public static func e164(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var text = raw.trimmingWhitespace()
        // "+44 (0)20 …": the bracketed zero is the trunk prefix, dialled only from inside the UK.
        text = text.replacingOccurrences(of: "(0)", with: "")
        let international = text.hasPrefix("+")
        var digits = ""
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                digits.append(Character(String(digit)))
            } else if !" -.()/+\u{A0}".contains(character) {
                return nil
            }
        }
        if international {
            return digits.hasPrefix("44") ? uk(national: String(digits.dropFirst(2))) : other(digits)
        }
        if digits.hasPrefix("0044") { return uk(national: String(digits.dropFirst(4))) }
        if digits.hasPrefix("00") { return other(String(digits.dropFirst(2))) }
        if digits.hasPrefix("0") { return uk(national: String(digits.dropFirst())) }
        if digits.count == 10, digits.hasPrefix("7") { return uk(national: digits) }
        return nil
    }

    /// The phone value of the model: raw and E.164.
    public static func number(_ raw: String?, kind: ContactPointKind) -> PhoneNumber? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return PhoneNumber(raw: text, e164: e164(text), kind: kind)
    }

    /// A UK national significant number is 9 or 10 digits and never starts with 0 or 4 or 6.
    private static func uk(national: String) -> String? {
        var national = national
        if national.hasPrefix("0") { national.removeFirst() }
        guard (9...10).contains(national.count), let first = national.first, !"046".contains(first) else {
            return nil
        }
        return "+44" + national
    }

    /// E.164 allows at most 15 digits; fewer than 8 is not a real international number.
    private static func other(_ digits: String) -> String? {
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        return "+" + digits
    }
}
