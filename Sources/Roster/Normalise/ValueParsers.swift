/// Readings of the small values every format holds as text: flags, dates, priorities.
public enum ValueParser {
    /// `Y/N`, `Yes/No`, `True/False`, `T/F`, `1/0` in any case; blank is `.unknown`; anything else `nil`.
    public static func triState(_ raw: String?) -> TriState? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return .unknown }
        switch text.lowercased() {
        case "y", "yes", "true", "t", "1": return .yes
        case "n", "no", "false", "f", "0": return .no
        default: return nil
        }
    }

    /// ISO `yyyy-mm-dd` (a time after it is ignored), `yyyymmdd`, or UK `dd/mm/yyyy` (also with `-` or
    /// `.`); never the US month-first order. `nil` when blank or unreadable.
    public static func date(_ raw: String?) -> CalendarDate? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        let dayPart = text.prefix { $0 != "T" && $0 != " " }
        let fields = dayPart.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map { Int($0) }
        if fields.count == 1, dayPart.count == 8, let number = fields[0] {
            return CalendarDate(year: number / 10000, month: number / 100 % 100, day: number % 100)
        }
        guard fields.count == 3, let first = fields[0], let second = fields[1], let third = fields[2] else {
            return nil
        }
        let firstIsYear = dayPart.prefix { $0.isNumber }.count == 4
        if firstIsYear { return CalendarDate(year: first, month: second, day: third) }
        guard third >= 1000 else { return nil }
        return CalendarDate(year: third, month: second, day: first)
    }

    /// A contact priority: a whole number of at least 1; `nil` when blank or unreadable.
    public static func priority(_ raw: String?) -> Int? {
        guard let text = raw?.trimmingWhitespace(), let value = Int(text), value >= 1 else { return nil }
        return value
    }

    /// True when the value is blank or only white space.
    public static func isBlank(_ raw: String?) -> Bool {
        raw?.trimmingWhitespace().isEmpty ?? true
    }
}

extension StringProtocol {
    /// Without leading and trailing white space (including the no-break spaces spreadsheets leave).
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}
