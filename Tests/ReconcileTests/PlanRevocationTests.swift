import Foundation
import Testing

@testable import Reconcile

/// "Revocation is immediate": links lost to a revocation go in the same plan, first, and a parent left
/// with no eligible child is disabled in the same plan.
struct PlanRevocationTests {
    typealias F = PlanFixture

    static let twoChildren = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1"), F.child("S1/U2")])

    @Test func courtOrderRemovesThatLinkAndKeepsTheAccountForTheOtherChild() {
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1"), F.child("S1/U2")])
        let plan = F.plan([after], F.settled([Self.twoChildren]))
        #expect(plan.changes.map(\.action) == [.unlink])
        let unlink = plan.changes[0]
        #expect(unlink.pupil == "S1/U1" && unlink.cause == .revocation)
        #expect(unlink.reasons == [.eligibility(.courtOrder)])
        #expect(unlink.modifications == [.delete("misChildRef", ["S1/U1"])])
    }

    @Test func revocationForARecordDedupeSplitOffAnEntryStillRemovesThatEntrysLink() {
        // One entry held two records; dedupe now splits them, and the school restricts the split-off
        // record's child. Whichever person keeps the entry, that child's link goes now, not held as a
        // disappearance (strict limits hold every disappearance).
        let merged = F.person("P0", refs: ["S1/C0", "S1/C1"], links: [F.child("S1/U2"), F.child("S1/U3")])
        let kept = F.person("P0", refs: ["S1/C0"], links: [F.child("S1/U3")])
        let splitOff = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U2", .restricted), F.child("S1/U3")])
        let strict = F.context(limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)))
        for people in [[kept, splitOff], [splitOff, kept]] {
            let directory = F.settled([merged])
            let plan = F.plan(people, directory, context: strict)
            let unlink = plan.changes.first { $0.action == .unlink && $0.dn == directory.parents[0].dn }
            #expect(unlink?.pupil == "S1/U2" && unlink?.cause == .revocation, "\(plan.held.map(\.change))")
            #expect(unlink?.reasons == [.eligibility(.restricted)])
        }
    }

    @Test func lossOfParentalResponsibilityForTheOnlyChildDisablesInTheSameRun() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1", dn: "uid=u1,ou=Pupils")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1", .noParentalResponsibility)])
        var directory = F.settled([before])
        directory.pupilDNs = ["S1/U1": "uid=u1,ou=Pupils"]
        let plan = F.plan([after], directory)
        #expect(plan.changes.map(\.action) == [.unlink, .disable])
        #expect(plan.changes[0].modifications == [.delete("misChild", ["uid=u1,ou=Pupils"]), .delete("misChildRef", ["S1/U1"])])
        let disable = plan.changes[1]
        #expect(disable.cause == .revocation)
        #expect(disable.reasons == [.eligibility(.noParentalResponsibility)])
        #expect(Set(disable.modifications) == [
            .replace("misAccountStatus", "disabled"),
            .replace("misStatusReason", "no-parental-responsibility"),
            .replace("misStatusSince", F.nowString),
            .replace("pwdAccountLockedTime", "000001010000Z"),
        ])
        #expect(disable.group == MembershipChange(kind: .delete, member: directory.parents[0].dn))
        #expect(plan.roleGroup?.delete == [directory.parents[0].dn])
    }

    @Test func disableRemovesChildEntriesNoUnlinkCovers() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1", dn: "uid=u1,ou=Pupils")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1")])
        let plan = F.plan([after], F.settled([before]))
        #expect(plan.changes.map(\.action) == [.unlink, .disable])
        #expect(plan.changes[1].modifications.contains(.delete("misChild", ["uid=u1,ou=Pupils"])))
    }

    @Test func courtOrderIsAppliedEvenWhenEveryGateWouldHold() {
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1"), F.revoked("S1/U2", .sourceWithdrawn)])
        for problem in SourceProblem.allCases {
            let context = F.context(
                limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)), unhealthy: ["S1": problem])
            let plan = F.plan([after], F.settled([Self.twoChildren]), context: context)
            #expect(plan.held.isEmpty, "held under \(problem)")
            #expect(plan.changes.map(\.action) == [.unlink, .unlink, .disable])
        }
    }

    @Test func revocationsComeFirstInThePlan() {
        let newcomer = F.person("P0", refs: ["S1/C0"], given: "Aaron", links: [F.child("S1/U9")])
        let revokedParent = F.person("P1", refs: ["S1/C1"], given: "Zoe", links: [F.revoked("S1/U1"), F.child("S1/U2")])
        let before = F.person("P1", refs: ["S1/C1"], given: "Zoe", links: [F.child("S1/U1"), F.child("S1/U2")])
        let plan = F.plan([newcomer, revokedParent], F.settled([before]))
        #expect(plan.changes.map(\.action) == [.unlink, .create])
        #expect(plan.changes[0].cause == .revocation)
    }

    @Test func revocationAtOneSchoolDoesNotDisableAParentWhoseOtherSchoolIsUnreadable() {
        let before = F.person("P1", refs: ["S1/C1", "S2/C1"], links: [F.child("S1/U1"), F.child("S2/U1")])
        // S2 could not be read, so only S1's record of the person is known.
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1")])
        let plan = F.plan([after], F.settled([before]), context: F.context(unhealthy: ["S2": .unreadable]))
        #expect(plan.changes.map(\.action) == [.unlink])
        #expect(plan.changes[0].pupil == "S1/U1")
        #expect(Set(plan.held.map(\.gate)) == [.sourceUnreadable])
        #expect(plan.held.allSatisfy { $0.change.action != .disable })
    }

    @Test func courtOrderReachesTheEntryOfAContactWhoseReferencesAndEmailBothChanged() {
        // CTF renumbered the contacts and the e-mail changed: the person no longer finds the entry.
        let before = F.person("P1", refs: ["S1/U1/1"], links: [F.child("S1/U1"), F.child("S1/U2")])
        let after = F.person("P1", refs: ["S1/U1/2"], mail: "new@example.net", links: [F.revoked("S1/U1"), F.child("S1/U2")])
        let context = F.context(limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)))
        let plan = F.plan([after], F.settled([before]), context: context)
        let old = "uid=jane.smithp1,\(F.base)"
        #expect(plan.changes.contains { $0.action == .unlink && $0.dn == old && $0.pupil == "S1/U1" && $0.cause == .revocation })
        #expect(plan.changes.contains { $0.action == .disable && $0.dn == old })
        #expect(plan.held.isEmpty)
    }

    @Test func revokedDisableTakesEveryOtherLinkWithItEvenOnesThatWouldBeHeld() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1"), F.child("S1/U2")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1")])  // U2 left the export
        let context = F.context(limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)))
        let plan = F.plan([after], F.settled([before]), context: context)
        #expect(plan.held.isEmpty)
        #expect(Set(plan.changes.compactMap(\.pupil)) == ["S1/U1", "S1/U2"])
        #expect(plan.changes.allSatisfy { $0.cause == .revocation })
    }
}
