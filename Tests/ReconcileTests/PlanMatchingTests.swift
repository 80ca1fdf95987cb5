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
