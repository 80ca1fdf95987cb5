import Foundation

/// The time as the audit log, reports and summaries write it: ISO 8601 in UTC (`2026-11-29T13:15:00Z`).
/// A format style rather than a formatter object: it is a value, and one audit line per write must not
/// build a formatter each time.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

extension Timestamp {
    /// The time in a credentials file's name (`20261129T131500Z`, `CredentialsWriter.fileStamp`), nil
    /// for anything else.
    static func date(fileStamp stamp: String) -> Date? {
        let digits = Array(stamp.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            Int(String(decoding: digits[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
            let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
