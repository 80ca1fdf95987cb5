import Foundation

/// The time as the audit log, reports and summaries write it: ISO 8601 in UTC (`2026-11-29T13:15:00Z`).
/// A format style rather than a formatter object: it is a value, and one audit line per write must not
/// build a formatter each time.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        // By hand from the UTC calendar fields: one audit line per write, and the format style's calendar
        // work was a visible share of a first run. The same text as `date.formatted(.iso8601)` (TimestampTests),
        // which it falls back to outside years 1000–9999.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        guard gmtime_r(&seconds, &fields) != nil, (1000 - 1900...9999 - 1900).contains(fields.tm_year) else {
            return date.formatted(.iso8601)
        }
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(fields.tm_year + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(fields.tm_mon + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(fields.tm_mday, 2)
        out.append(UInt8(ascii: "T"))
        digits(fields.tm_hour, 2)
        out.append(UInt8(ascii: ":"))
        digits(fields.tm_min, 2)
        out.append(UInt8(ascii: ":"))
        digits(fields.tm_sec, 2)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
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
