import Foundation
import Testing

@testable import Reconcile

/// Which entry a person has, and what happens when that is not clear ("Conflicts are not shelters").
struct PlanMatchingTests {
    typealias F = PlanFixture

    static let ann = F.person("A", refs: ["S1/C1"], given: "Ann", links: [F.child("S1/U1")])
    static let annAtS2 = F.person("A2", refs: ["S2/C7"], given: "Ann", mail: "ann2@example.net", links: [F.child("S2/U7")])

    /// Ann has two entries (from before dedupe merged her S1 and S2 records).
    static let twoEntries = F.settled([ann, annAtS2])

    @Test func personOverlappingTwoEntriesIsAConflictAndBothAreLeftAlone() {
        let merged = F.person("A", refs: ["S1/C1", "S2/C7"], given: "Ann", mail: "new@example.net",
                              links: [F.child("S1/U1"), F.child("S2/U7"), F.child("S2/U8")])
        let plan = F.plan([merged], Self.twoEntries)
        #expect(plan.changes.isEmpty && plan.held.isEmpty)
        #expect(plan.warnings.map(\.code) == [.conflict])
        #expect(plan.summary.unchanged == 2)
        let matching = ParentMatcher.match([merged], to: Self.twoEntries.parents)
        #expect(matching.conflicts.count == 1 && matching.entryDNs.isEmpty && matching.unmatchedDNs.isEmpty)
    }

    @Test func conflictStillRemovesRevokedLinksFromEveryEntry() {
        let revoked = F.person("A", refs: ["S1/C1", "S2/C7"], given: "Ann",
                               links: [F.revoked("S1/U1"), F.child("S2/U7")])
        let plan = F.plan([revoked], Self.twoEntries)
        // S1/U1 was Ann's only child on her S1 entry: that entry is disabled as well.
        #expect(plan.changes.map(\.action) == [.unlink, .disable])
        #expect(plan.changes.allSatisfy { $0.cause == .revocation && $0.dn == "uid=ann.smitha,\(F.base)" })
        #expect(plan.warnings.map(\.code) == [.conflict])
    }

    @Test func entrySplitByDedupeStaysWithThePersonHoldingMostOfItsRecords() {
        let couple = F.person("M", refs: ["S1/C1", "S1/C2", "S1/C3"], given: "Mia", links: [F.child("S1/U1")])
        let mia = F.person("M", refs: ["S1/C1", "S1/C2"], given: "Mia", links: [F.child("S1/U1")])
        let noah = F.person("N", refs: ["S1/C3"], given: "Noah", links: [F.child("S1/U1")])
        let plan = F.plan([noah, mia], F.settled([couple]))
        #expect(plan.changes(.create).map(\.parentID) == ["N"])
        #expect(plan.changes(.update).first?.modifications == [.delete("misContactRef", ["S1/C3"])])
        #expect(plan.warnings.isEmpty)
    }

    /// Mia's entry holding her records and Noah's `S1/C3`, Noah's own entry from before (record `S1/C9`),
    /// and the two as dedupe now sees them.
    static func noahSplitOffMia(herSecondRecord: String) -> (CurrentDirectory, mia: DesiredParent, noah: DesiredParent) {
        func mia(_ refs: [String]) -> DesiredParent { F.person("M", refs: refs, given: "Mia", links: [F.child("S1/U1")]) }
        func noah(_ ref: String) -> DesiredParent { F.person("N", refs: [ref], given: "Noah", mail: "noah@example.net", links: [F.child("S1/U1")]) }
        let directory = F.settled([mia(["S1/C1", herSecondRecord, "S1/C3"]), noah("S1/C9")])
        return (directory, mia(["S1/C1", herSecondRecord]), noah("S1/C3"))
    }

    /// Noah's record was merged into Mia's entry; dedupe now splits it off, and Noah has an entry of his own
    /// from before (another record, the same name and e-mail). He gets that entry back in this run rather
    /// than a new account, and nothing is left for the next run (before, his old entry was disabled as
    /// disappeared and matched by the run after).
    @Test func aPersonSplitOffAnEntryFindsTheirOldEntryByIdentityKeys() {
        let (directory, mia, noah) = Self.noahSplitOffMia(herSecondRecord: "S1/C2")
        let matching = ParentMatcher.match([mia, noah], to: directory.parents)
        #expect(matching.entryDNs == ["M": "uid=mia.smithm,\(F.base)", "N": "uid=noah.smithn,\(F.base)"])
        let plan = F.plan([mia, noah], directory)
        #expect(plan.changes(.create).isEmpty && plan.changes(.disable).isEmpty)
        #expect(Set(plan.changes(.update).map(\.dn)) == ["uid=mia.smithm,\(F.base)", "uid=noah.smithn,\(F.base)"])
        let again = F.plan([mia, noah], PlanSimulator.apply(plan, to: directory))
        #expect(again.changes.isEmpty && again.warnings.isEmpty)
    }

    /// The same split while S2's export is unreadable, which holds Mia's update: Noah's entry must not take
    /// his record while her entry keeps it, or the next runs find him in both entries, a conflict that
    /// would outlast the outage. His update waits behind the same gate.
    @Test func aSplitOffPersonsOldEntryWaitsWhileTheSplitIsHeld() {
        let (directory, mia, noah) = Self.noahSplitOffMia(herSecondRecord: "S2/C2")
        var context = F.context()
        context.unhealthySchools = ["S2": .unreadable]
        let plan = Planner.plan(desired: [mia, noah], current: directory, context: context)
        #expect(plan.changes.isEmpty)
        #expect(Set(plan.held.map(\.change.dn)) == ["uid=mia.smithm,\(F.base)", "uid=noah.smithn,\(F.base)"])
        let again = Planner.plan(desired: [mia, noah], current: PlanSimulator.apply(plan, to: directory), context: context)
        #expect(again.changes.isEmpty && again.held == plan.held && again.warnings == plan.warnings)
    }

    @Test func twoCandidateEntriesByIdentityKeysIsAConflictNotANewAccount() {
        let first = F.person("X1", refs: ["S1/U1/1"], given: "Ann", family: "Lee", mail: "ann@example.net", username: "ann.lee", links: [F.child("S1/U1")])
        let second = F.person("X2", refs: ["S2/U5/1"], given: "Ann", family: "Lee", mail: "ann@example.net", username: "ann.lee2", links: [F.child("S2/U5")])
        let renumbered = F.person("X1", refs: ["S1/U1/2", "S2/U5/2"], given: "Ann", family: "Lee", mail: "ann@example.net",
                                  links: [F.child("S1/U1"), F.child("S2/U5")])
        let plan = F.plan([renumbered], F.settled([first, second]))
        #expect(plan.changes.isEmpty)
        #expect(plan.warnings.map(\.code) == [.conflict])
    }

    @Test func sameNameWithoutSharedEmailOrMobileIsAnotherPerson() {
        let before = F.person("X1", refs: ["S1/U1/1"], given: "Ann", family: "Lee", links: [F.child("S1/U1")])
        let other = F.person("X9", refs: ["S1/U1/2"], given: "Ann", family: "Lee", mail: "someone@else.net", username: "ann.lee2", links: [F.child("S1/U1")])
        let plan = F.plan([other], F.settled([before]))
        #expect(plan.changes(.create).count == 1 && plan.changes(.disable).count == 1)
    }

    @Test func matcherGivesTheExistingEntryOfEachPersonForUsernameAllocation() {
        let matching = ParentMatcher.match([Self.ann], to: Self.twoEntries.parents)
        #expect(matching.entryDNs == ["A": "uid=ann.smitha,\(F.base)"])
        #expect(matching.unmatchedDNs == ["uid=ann.smitha2,\(F.base)"])
    }
}
