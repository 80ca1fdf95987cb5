import Foundation
import Testing

@testable import Reconcile

/// Disable, enable and delete of accounts whose children disappeared or came back.
struct PlanStatusTests {
    typealias F = PlanFixture

    @Test func parentNoSourceListsAnyMoreIsDisabledAsDisappeared() {
        let directory = F.settled([F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])])
        let plan = F.plan([], directory)
        #expect(plan.changes.map(\.action) == [.unlink, .disable])
        #expect(plan.changes.allSatisfy { $0.cause == .disappearance })
        #expect(plan.changes[1].reasons == [.sync(.contactDisappeared)])
    }

    @Test func leaverWhoseOnlyChildLeftTheRollIsDisabled() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.lapsed("S1/U1", .notOnRoll)])
        let plan = F.plan([after], F.settled([before]))
        #expect(plan.changes.map(\.action) == [.unlink, .disable])
        #expect(plan.changes[1].reasons == [.eligibility(.notOnRoll)])
        #expect(plan.changes[1].cause == .disappearance)
    }

    @Test func disabledParentEligibleAgainIsEnabledUnlockedAndLinked() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let disabled = PlanSimulator.apply(F.plan([], F.settled([before])), to: F.settled([before]))
        #expect(disabled.parents[0].status == .disabled && disabled.parents[0].isLocked)
        let plan = F.plan([before], disabled)
        #expect(plan.changes.map(\.action) == [.enable, .link])
        let enable = plan.changes[0]
        #expect(enable.modifications.contains(.replace("misAccountStatus", "active")))
        #expect(enable.modifications.contains(.delete("pwdAccountLockedTime", ["000001010000Z"])))
        #expect(enable.group?.kind == .add)
        let again = PlanSimulator.apply(plan, to: disabled)
        #expect(F.plan([before], again).changes.isEmpty)
    }

    @Test func reenabledUnderOnHandoverComesBackPendingAndLocked() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let disabled = PlanSimulator.apply(F.plan([], F.settled([before])), to: F.settled([before]))
        let plan = F.plan([before], disabled, context: F.context(activation: .onHandover))
        let enable = try! #require(plan.changes(.enable).first)
        #expect(enable.modifications.contains(.replace("misAccountStatus", "pending")))
        #expect(!enable.modifications.contains { $0.attribute == "pwdAccountLockedTime" })
        #expect(enable.group == nil)
    }

    static func disabledSince(_ since: String) -> CurrentDirectory {
        var directory = F.settled([F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])]).changing("jane.smithp1") {
            $0.status = .disabled
            $0.statusSince = since
            $0.isLocked = true
            $0.misChildRef = []
        }
        directory.roleGroup?.members = [F.groupDN]
        return directory
    }

    @Test func disabledAccountIsDeletedOnlyAfterTheGracePeriod() {
        let limits = SafetyLimits(maxDelete: 5, deleteAfterDays: 30)
        let longAgo = F.plan([], Self.disabledSince("20261001000000Z"), context: F.context(limits: limits))
        #expect(longAgo.changes.map(\.action) == [.delete])
        #expect(longAgo.changes[0].reasons == [.sync(.disabledPastGracePeriod)])
        let recently = F.plan([], Self.disabledSince("20261120000000Z"), context: F.context(limits: limits))
        #expect(recently.changes.isEmpty)
    }

    @Test func noDeleteWhenMaxDeleteIsZeroOrDeleteAfterDaysIsZero() {
        for limits in [SafetyLimits(maxDelete: 0, deleteAfterDays: 30), SafetyLimits(maxDelete: 5, deleteAfterDays: 0)] {
            let plan = F.plan([], Self.disabledSince("20200101000000Z"), context: F.context(limits: limits))
            #expect(plan.changes.isEmpty && plan.held.isEmpty)
        }
    }

    @Test func entryWithoutAStatusIsTakenAsActiveAndRepaired() {
        let person = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let directory = F.settled([person]).changing("jane.smithp1") { $0.status = nil }
        let update = try! #require(F.plan([person], directory).changes.first)
        #expect(update.action == .update)
        #expect(update.modifications.contains(.replace("misAccountStatus", "active")))
        #expect(update.modifications.contains(.replace("misStatusReason", "status-repaired")))
    }

    @Test func pendingAccountThatLostItsChildrenIsDisabledWithoutCountingAsADisable() {
        let pendingPerson = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let activePerson = F.person("P2", refs: ["S1/C2"], given: "Ian", links: [F.child("S1/U2")])
        let pending = F.settled([pendingPerson], context: F.context(activation: .onHandover))
        #expect(pending.parents[0].status == .pending)
        // The pending account's disable is applied: nobody has logged in to it yet, so max_disable
        // neither counts nor holds it (DESIGN.md Part A)…
        let plan = F.plan([], pending, context: F.context(limits: SafetyLimits(maxDisable: .count(0))))
        #expect(plan.held.isEmpty)
        #expect(plan.changes.contains { $0.action == .disable })
        // …while an active account's disable beside it is still held.
        var both = pending
        both.parents += F.settled([activePerson]).parents
        let mixed = F.plan([], both, context: F.context(limits: SafetyLimits(maxDisable: .count(0))))
        #expect(mixed.held(.disable).count == 1 && mixed.held(.disable)[0].gate == .maxDisable)
        #expect(mixed.changes.filter { $0.action == .disable }.count == 1)
    }

    @Test func activeAccountThatLostItsLockOrGroupIsRepaired() {
        let person = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        var directory = F.settled([person]).changing("jane.smithp1") { $0.isLocked = true }
        directory.roleGroup?.members = ["cn=someone,ou=Staff"]
        let plan = F.plan([person], directory)
        let update = try! #require(plan.changes.first)
        #expect(plan.changes.count == 1 && update.action == .update)
        #expect(update.modifications == [.delete("pwdAccountLockedTime", ["000001010000Z"])])
        #expect(update.group?.kind == .add)
        #expect(update.reasons == [.sync(.statusRepaired)])
    }
}
