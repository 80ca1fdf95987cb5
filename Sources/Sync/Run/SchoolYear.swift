import Foundation
import Roster

/// What a run knows of a pupil who may leave: kept from the last good run of the pupil's school, so
/// that when the pupil is gone from the export the run can still tell a leaver from a broken export.
public struct LeaverNote: Codable, Sendable, Equatable {
    /// The year group as the source wrote it.
    public var yearGroup: String?
    /// The leaving date the source gave, if any.
    public var leavingDate: CalendarDate?
    /// The pupil's link records (for `min_source_ratio`: their going is no shrink).
    public var records: Int

    enum CodingKeys: String, CodingKey {
        case yearGroup = "year_group"
        case leavingDate = "leaving_date"
        case records
    }
}

/// The end of the school year: pupils of `safety.leaving_year_groups` who vanish then, and pupils whose
/// leaving date has come, are expected to go. Their parents' unlinks and disables are not counted by
/// `max_unlink` and `max_disable`, and their records not by `min_source_ratio`; a pupil of another year
/// (a truncated export) still is.
public enum SchoolYear {
    /// Leavers go from the MIS between the end of exams (June) and the new year's roll (September).
    /// Outside these months a leaving year group's pupil who vanishes is counted like any other.
    static let leavingMonths: ClosedRange<Int> = 6...9

    public static func isLeavingSeason(_ date: CalendarDate) -> Bool {
        leavingMonths.contains(date.month)
    }

    /// `Y6`, `Year 6`, `06` and `6` are one year group; `R` and `N1` stay as written (upper-cased).
    public static func normalised(_ yearGroup: String) -> String {
        var value = yearGroup.uppercased().trimmingCharacters(in: .whitespaces)
        for prefix in ["YEAR", "YR", "Y"] where value.hasPrefix(prefix) {
            let rest = value.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            if let number = Int(rest) { return String(number) }
        }
        if let number = Int(value) { value = String(number) }
        return value
    }

    /// The notes to keep of `roster`'s pupils: those of a leaving year group or with a leaving date.
    static func notes(_ roster: Roster, leavingYearGroups: Set<String>) -> [String: LeaverNote] {
        var notes: [String: LeaverNote] = [:]
        // A school has a dozen year groups as written and thousands of pupils: each spelling normalised once.
        var leaves: [String: Bool] = [:]
        roster.pupils.withUnsafeBufferPointer { pupils in
            // In place: a `for` over the array copied every pupil, a dozen strings each.
            for pupil in pupils.indices {
                let inLeavingYear = pupils[pupil].yearGroup.map { group in
                    if let known = leaves[group] { return known }
                    let answer = leavingYearGroups.contains(normalised(group))
                    leaves[group] = answer
                    return answer
                } ?? false
                guard inLeavingYear || pupils[pupil].leavingDate != nil else { continue }
                notes[pupils[pupil].reference.description] = LeaverNote(
                    yearGroup: pupils[pupil].yearGroup, leavingDate: pupils[pupil].leavingDate, records: 0)
            }
        }
        // Only the leavers' links are counted: counting every pupil's links by its reference's text was
        // most of this step.
        guard !notes.isEmpty else { return notes }
        roster.links.withUnsafeBufferPointer { links in
            for link in links.indices {
                let reference = links[link].pupil.description
                if notes[reference] != nil { notes[reference]!.records += 1 }
            }
        }
        return notes
    }

    /// The pupils whose leaving is expected on `date`: those the sources still list with a leaving date
    /// on or before it, and those last seen in a leaving year group (in the leaving season) or with such
    /// a leaving date who are gone from the sources. `present` are the pupils listed now, with their leaving dates.
    static func expectedLeavers(
        notes: [String: LeaverNote], present: [String: CalendarDate?], leavingYearGroups: Set<String>, on date: CalendarDate
    ) -> Set<String> {
        var expected = Set<String>()
        for (reference, leavingDate) in present {
            if let leaving = leavingDate, leaving <= date { expected.insert(reference) }
        }
        for (reference, note) in notes where !present.keys.contains(reference) {
            let dateCame = note.leavingDate.map { $0 <= date } ?? false
            let yearLeaves = isLeavingSeason(date) && note.yearGroup.map { leavingYearGroups.contains(normalised($0)) } == true
            if dateCame || yearLeaves { expected.insert(reference) }
        }
        return expected
    }

    /// Link records per school that the expected leavers had at the last good run: a school's export
    /// shrinking by these is the school year, not a broken export.
    static func expectedLoss(_ leavers: Set<String>, notes: [String: LeaverNote], present: [String: CalendarDate?]) -> [String: Int] {
        var loss: [String: Int] = [:]
        for reference in leavers where !present.keys.contains(reference) {
            guard let note = notes[reference], let school = reference.split(separator: "/").first else { continue }
            loss[String(school), default: 0] += note.records
        }
        return loss
    }
}

extension RunState {
    /// Keeps the leaver notes of each healthy school's pupils as read this run (replacing that school's
    /// old notes); a held school keeps the notes of its last good run.
    mutating func rememberLeavers(_ sources: SourceSummary, healthy: (String) -> Bool) {
        var schools = Set<String>()
        for source in sources.readable {
            for school in source.schools where healthy(school) { schools.insert(school) }
        }
        lastGoodLeavers = lastGoodLeavers.filter { reference, _ in
            !schools.contains(String(reference.split(separator: "/").first ?? ""))
        }
        for (reference, note) in sources.leaverNotes where schools.contains(String(reference.split(separator: "/").first ?? "")) {
            lastGoodLeavers[reference] = note
        }
    }
}
