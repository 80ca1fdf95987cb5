import Foundation
import Roster

extension CalendarDate {
    /// Today in UTC: the day a run decides "on roll" for. Reconcile takes the date as a parameter; only
    /// the run reads the clock.
    public static func todayUTC(now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
