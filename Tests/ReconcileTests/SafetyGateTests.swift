import Foundation
import Testing

@testable import Reconcile

/// "A broken export must not lock out a school": disappearances beyond the limits, deletes beyond
/// `max_delete` and everything of an unhealthy school are held; the rest of the run goes ahead.
struct SafetyGateTests {
    typealias F = PlanFixture

    /// Ten parents at S1 and ten at S2, one child each.
    static let people = (1...10).flatMap { n in
        ["S1", "S2"].map { school in
            F.person("\(school)P\(n)", refs: ["\(school)/C\(n)"], links: [F.child("\(school)/U\(n)")])
        }
    }
    static let directory = F.settled(people)

    @Test func truncatedExportHoldsItsDisablesWhileTheOtherSchoolGoesAhead() {
        // S1's export lost six of its ten parents; S2 lost one, within 20%.
        let remaining = Self.people.filter { !["S1P1", "S1P2", "S1P3", "S1P4", "S1P5", "S1P6", "S2P1"].contains($0.personID) }
        let limits = SafetyLimits(maxDisable: .percentage(20), maxUnlink: .percentage(20))
        let plan = F.plan(remaining, Self.directory, context: F.context(limits: limits))
        #expect(plan.held(.disable).count == 6)
        #expect(plan.held(.disable).allSatisfy { $0.gate == .maxDisable && $0.change.schools == ["S1"] })
        #expect(plan.held(.unlink).count == 6, "a held disable keeps its links")
        #expect(plan.changes(.disable).map(\.parentID) == ["S2P1"])
        #expect(plan.hasHeldChanges && plan.summary.held == 12)
    }

    @Test func overallLimitHoldsWhatNoSchoolLimitCaught() {
        let remaining = Self.people.filter { !["S1P1", "S1P2", "S2P1", "S2P2"].contains($0.personID) }
        let limits = SafetyLimits(maxDisable: .count(3), maxUnlink: .count(100))
        let plan = F.plan(remaining, Self.directory, context: F.context(limits: limits))
        #expect(plan.held(.disable).count == 4 && plan.changes(.disable).isEmpty)
    }

    @Test func acceptLimitsReleasesTheLimitGates() {
        let remaining = Array(Self.people.dropFirst(8))
        let context = F.context(limits: SafetyLimits(maxDisable: .count(1), maxUnlink: .count(1)), acceptLimits: true)
        let plan = F.plan(remaining, Self.directory, context: context)
        #expect(plan.held.isEmpty && plan.changes(.disable).count == 8)
    }

    @Test func unreadableSourceHoldsEverythingOfItsSchoolEvenWithAcceptLimits() {
        let newcomer = F.person("S1NEW", refs: ["S1/C99"], links: [F.child("S1/U99")])
        let elsewhere = F.person("S2NEW", refs: ["S2/C99"], links: [F.child("S2/U99")])
        let s2 = Self.people.filter { $0.personID.hasPrefix("S2") }
        let context = F.context(unhealthy: ["S1": .unreadable], acceptLimits: true)
        let plan = F.plan(s2 + [newcomer, elsewhere], Self.directory, context: context)
        #expect(plan.changes.map(\.parentID) == ["S2NEW"])
        #expect(plan.held.allSatisfy { $0.gate == .sourceUnreadable })
        #expect(Set(plan.held.map(\.change.action)) == [.create, .unlink, .disable])
    }

    @Test func unreadableSourceAnywhereHoldsAllButRevocationsAndTheGroupMovesOnlyWithThem() throws {
        let newcomer = F.person("S2NEW", refs: ["S2/C99"], links: [F.child("S2/U99")])
        var people = Self.people + [newcomer]
        people[0].links = [F.revoked("S1/U1")]
        var context = F.context(acceptLimits: true)
        context.holdAllButRevocations = true
        let plan = F.plan(people, Self.directory, context: context)
        #expect(plan.changes.allSatisfy { $0.cause == .revocation })
        #expect(Set(plan.changes.map(\.action)) == [.unlink, .disable])
        #expect(plan.held.map(\.change.parentID) == ["S2NEW"] && plan.held.allSatisfy { $0.gate == .sourceUnreadable })
        let revoked = try #require(plan.changes.first { $0.action == .disable }?.dn)
        #expect(plan.roleGroup?.add == [] && plan.roleGroup?.delete == [revoked], "no member for a held create")
    }

    @Test func missingExportAtOneSchoolNeverUnlinksChildrenAtAnother() {
        let before = F.person("P1", refs: ["S1/C1", "S2/C1"], links: [F.child("S1/U1"), F.child("S2/U1")])
        let onlyS2 = F.person("P1", refs: ["S2/C1"], links: [F.child("S2/U1")])
        let plan = F.plan([onlyS2], F.settled([before]), context: F.context(unhealthy: ["S1": .unreadable]))
        #expect(plan.changes.isEmpty)
        #expect(plan.held.map(\.change.action).sorted { $0.rawValue < $1.rawValue } == [.unlink, .update])
        #expect(plan.held.first { $0.change.action == .unlink }?.change.pupil == "S1/U1")
    }

    @Test func shrunkSourceHoldsDisappearancesButNotNewAccounts() {
        let newcomer = F.person("S1NEW", refs: ["S1/C99"], links: [F.child("S1/U99")])
        let remaining = Self.people.filter { $0.personID != "S1P1" } + [newcomer]
        let plan = F.plan(remaining, Self.directory, context: F.context(unhealthy: ["S1": .shrunk]))
        #expect(plan.changes.map(\.action) == [.create])
        #expect(Set(plan.held.map(\.gate)) == [.sourceShrunk])
        let accepted = F.plan(remaining, Self.directory, context: F.context(unhealthy: ["S1": .shrunk], acceptLimits: true))
        #expect(accepted.held.isEmpty && accepted.changes(.disable).count == 1)
    }

    @Test func changedColumnsHoldUpdatesOfThatSchool() {
        var renamed = Self.people
        for index in renamed.indices where renamed[index].personID.hasPrefix("S1") { renamed[index].familyName = "Swapped" }
        let plan = F.plan(renamed, Self.directory, context: F.context(unhealthy: ["S1": .columnsChanged]))
        #expect(plan.changes.isEmpty)
        #expect(plan.held.count == 10 && plan.held.allSatisfy { $0.gate == .sourceColumnsChanged })
    }

    @Test func disappearedLinksBeyondMaxUnlinkAreHeldButRevokedOnesDoNotCount() {
        let twoChildren = (1...4).map { n in
            F.person("P\(n)", refs: ["S1/C\(n)"], links: [F.child("S1/U\(n)"), F.child("S1/V\(n)")])
        }
        let after = twoChildren.enumerated().map { index, person in
            var person = person
            person.links = [F.child("S1/U\(index + 1)"), index == 0 ? F.revoked("S1/V1") : F.lapsed("S1/V\(index + 1)")]
            return person
        }
        let plan = F.plan(after, F.settled(twoChildren), context: F.context(limits: SafetyLimits(maxUnlink: .count(2))))
        #expect(plan.changes.map(\.pupil) == ["S1/V1"])
        #expect(plan.held.count == 3 && plan.held.allSatisfy { $0.gate == .maxUnlink })
    }

    @Test func expectedLeaversAtTheEndOfTheYearPassTheLimitsWhileOtherDisappearancesAreHeld() {
        // Five of S1's ten pupils leave in July; one S1 parent also vanished for no known reason.
        let leavers: Set<String> = ["S1/U1", "S1/U2", "S1/U3", "S1/U4", "S1/U5"]
        let remaining = Self.people.filter { !["S1P1", "S1P2", "S1P3", "S1P4", "S1P5", "S1P6"].contains($0.personID) }
        var context = F.context(limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)))
        context.expectedLeavers = leavers
        let plan = F.plan(remaining, Self.directory, context: context)
        #expect(Set(plan.changes(.disable).map(\.parentID)) == ["S1P1", "S1P2", "S1P3", "S1P4", "S1P5"])
        #expect(plan.held(.disable).map(\.change.parentID) == ["S1P6"])
    }

    @Test func deletesBeyondMaxDeleteAreHeld() {
        var directory = Self.directory
        for index in directory.parents.indices {
            directory.parents[index].status = .disabled
            directory.parents[index].statusSince = "20200101000000Z"
            directory.parents[index].isLocked = true
            directory.parents[index].misChildRef = []
        }
        directory.roleGroup?.members = [F.groupDN]
        let plan = F.plan([], directory, context: F.context(limits: SafetyLimits(maxDelete: 5, deleteAfterDays: 30)))
        #expect(plan.held.count == 20 && plan.held.allSatisfy { $0.gate == .maxDelete })
        #expect(plan.changes.isEmpty)
    }

    @Test func percentageLimitIsPerSchoolOfItsManagedAccounts() {
        #expect(SafetyLimit("5%") == .percentage(5))
        #expect(SafetyLimit(" 12 ") == .count(12))
        #expect(SafetyLimit("five") == nil && SafetyLimit("120%") == nil && SafetyLimit("-1") == nil)
        #expect(!SafetyLimit.percentage(10).isExceeded(by: 1, managed: 10))
        #expect(SafetyLimit.percentage(10).isExceeded(by: 2, managed: 10))
        #expect(SafetyLimit.percentage(5).isExceeded(by: 1, managed: 10))
    }
}
