import Foundation

/// The time as the audit log, reports and summaries write it: ISO 8601 in UTC (`2026-11-29T13:15:00Z`).
/// A format style rather than a formatter object: it is a value, and one audit line per write must not
/// build a formatter each time.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
