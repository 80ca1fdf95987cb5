import Foundation

/// LDAP GeneralizedTime in UTC (`20261129134000Z`), for `misStatusSince`.
public enum GeneralizedTime {
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public static func string(from date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
            parts.minute!, parts.second!)
    }

    /// Parses `YYYYMMDDHHMM[SS][.fraction]Z`; nil for anything else (such a value never triggers a delete).
    public static func date(from text: String) -> Date? {
        let digits = Array(text.prefix { $0.isASCII && $0.isNumber })
        guard digits.count == 12 || digits.count == 14, text.hasSuffix("Z") else { return nil }
        func number(_ range: Range<Int>) -> Int { Int(String(digits[range]))! }
        let parts = DateComponents(
            year: number(0..<4), month: number(4..<6), day: number(6..<8), hour: number(8..<10),
            minute: number(10..<12), second: digits.count == 14 ? number(12..<14) : 0)
        return utc.date(from: parts)
    }
}
