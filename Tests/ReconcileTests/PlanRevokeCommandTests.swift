import Foundation
import Testing

@testable import Reconcile

/// `Planner.revoke`, the plan of `ldap-sync revoke`: one link goes now, as a revocation; the last one
/// disables the account; nothing else of the entry changes, whatever the limits.
struct PlanRevokeCommandTests {
    typealias F = PlanFixture

    static let twoChildren = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1", dn: "uid=u1,ou=Pupils"), F.child("S1/U2")])
    static let strict = F.context(limits: SafetyLimits(maxDisable: .count(0), maxUnlink: .count(0)))

    @Test func revokingOneOfTwoChildrenUnlinksOnlyThatChild() throws {
        let directory = F.settled([Self.twoChildren])
        let entry = try #require(directory.parents.first)
        let plan = Planner.revoke(entry, pupil: "S1/U1", pupilDN: "uid=u1,ou=Pupils", reasons: [.restricted], current: directory, context: Self.strict)
        #expect(plan.held.isEmpty)
        #expect(plan.changes.map(\.action) == [.unlink])
        #expect(plan.changes[0].cause == .revocation)
        #expect(plan.changes[0].reasons == [.eligibility(.restricted)])
        #expect(Set(plan.changes[0].modifications) == [.delete("misChildRef", ["S1/U1"]), .delete("misChild", ["uid=u1,ou=Pupils"])])
    }

    @Test func revokingTheLastChildDisablesTheAccountAndTakesItOutOfTheGroup() throws {
        let one = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let directory = F.settled([one])
        let entry = try #require(directory.parents.first)
        let plan = Planner.revoke(entry, pupil: "S1/U1", pupilDN: nil, reasons: [.restricted], current: directory, context: Self.strict)
        #expect(plan.held.isEmpty)
        #expect(Set(plan.changes.map(\.action)) == [.unlink, .disable])
        #expect(plan.changes.allSatisfy { $0.cause == .revocation })
        let disable = try #require(plan.changes(.disable).first)
        #expect(disable.group == MembershipChange(kind: .delete, member: entry.dn))
        #expect(disable.modifications.contains(.replace("misAccountStatus", "disabled")))
    }
}
