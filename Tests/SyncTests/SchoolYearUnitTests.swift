import Foundation
import Reconcile
import Roster
import Testing

@testable import Sync

/// The pure parts of the school-year rule and of a reconnect's saved plan, without a directory.
@Suite struct SchoolYearUnitTests {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    @Test func yearGroupsAreComparedAsSchoolsWriteThem() {
        #expect(["6", "Y6", "Year 6", "06", "y 6", " YR6 "].map(SchoolYear.normalised) == Array(repeating: "6", count: 6))
        #expect(SchoolYear.normalised("R") == "R")
        #expect(SchoolYear.normalised("N1") == "N1")
    }

    @Test func onlyLeaversGoneInTheSeasonOrPastTheirDateAreExpected() {
        let notes: [String: LeaverNote] = [
            "S/P1": LeaverNote(yearGroup: "Y6", leavingDate: nil, records: 2),
            "S/P2": LeaverNote(yearGroup: "4", leavingDate: Self.day(2027, 3, 5), records: 1),
            "S/P3": LeaverNote(yearGroup: "4", leavingDate: Self.day(2027, 12, 1), records: 1),
        ]
        let groups: Set<String> = ["6", "11", "13"]
        #expect(SchoolYear.expectedLeavers(notes: notes, present: [:], leavingYearGroups: groups, on: Self.day(2027, 7, 20)) == ["S/P1", "S/P2"])
        #expect(SchoolYear.expectedLeavers(notes: notes, present: [:], leavingYearGroups: groups, on: Self.day(2027, 3, 1)) == [])
        #expect(SchoolYear.expectedLeavers(notes: notes, present: [:], leavingYearGroups: groups, on: Self.day(2027, 3, 5)) == ["S/P2"])
        #expect(SchoolYear.expectedLoss(["S/P1", "S/P2"], notes: notes, present: [:]) == ["S": 3])
    }

    @Test func shrinkCheckDiscountsTheExpectedLeaversRecords() {
        var state = RunState()
        state.lastGoodRecords = ["S": 100]
        #expect(state.shrunkSchools(["S": 75], ratio: 0.9) == ["S"])
        #expect(state.shrunkSchools(["S": 75], ratio: 0.9, expectedLoss: ["S": 25]) == [])
        #expect(state.shrunkSchools(["S": 60], ratio: 0.9, expectedLoss: ["S": 25]) == ["S"], "a truncated export still shrinks")
    }

    @Test func aReconnectWritesOnlyWhatOfTheSavedPlanIsStillToDo() {
        func change(_ action: ChangeAction, _ dn: String) -> Change {
            Change(action: action, dn: dn, parentID: "p", reasons: [], schools: ["S"], cause: .routine, modifications: [])
        }
        let saved = Plan(
            summary: PlanSummary(), changes: [change(.create, "uid=a,o=x"), change(.update, "uid=b,o=x")], held: [], warnings: [], roleGroup: nil)
        let fresh = Plan(
            summary: PlanSummary(), changes: [change(.update, "UID=b,o=x"), change(.create, "uid=c,o=x")], held: [], warnings: [], roleGroup: nil)
        let remaining = fresh.keeping(only: saved)
        #expect(remaining.changes.map(\.dn) == ["UID=b,o=x"], "b is still to do; c was never in the saved plan; a is done")
        #expect(remaining.summary.update == 1)
    }
}
