import Foundation
import Testing

@testable import Reconcile

/// The role group: value-level `member` writes; created when missing; never left empty.
struct PlanRoleGroupTests {
    typealias F = PlanFixture

    static let jane = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])

    @Test func missingGroupIsCreatedWithItsFirstMembers() {
        let plan = F.plan([Self.jane], CurrentDirectory(parents: [], roleGroup: RoleGroupState(dn: F.groupDN, exists: false)))
        let group = try! #require(plan.roleGroup)
        #expect(group.create)
        #expect(Set(group.creation) == [
            .add("objectClass", ["groupOfNames"]), .add("cn", ["Parents"]),
            .add("member", ["uid=jane.smithp1,\(F.base)"]),
        ])
    }

    @Test func lastMemberLeavingLeavesThePlaceholderAndAWarning() {
        let plan = F.plan([], F.settled([Self.jane]))
        let group = try! #require(plan.roleGroup)
        #expect(group.delete == ["uid=jane.smithp1,\(F.base)"])
        #expect(group.add == [F.groupDN])
        #expect(plan.warnings.map(\.code) == [.groupPlaceholder])
    }

    @Test func placeholderGoesWhenARealMemberJoins() {
        var directory = CurrentDirectory(parents: [], roleGroup: RoleGroupState(dn: F.groupDN, exists: true, members: [F.groupDN]))
        let plan = F.plan([Self.jane], directory)
        #expect(plan.roleGroup?.add == ["uid=jane.smithp1,\(F.base)"])
        #expect(plan.roleGroup?.delete == [F.groupDN])
        directory = PlanSimulator.apply(plan, to: directory)
        #expect(directory.roleGroup?.members == ["uid=jane.smithp1,\(F.base)"])
    }

    @Test func membersTheSyncDoesNotManageAreLeftAlone() {
        var directory = F.settled([Self.jane])
        directory.roleGroup?.members.insert("uid=head,ou=Staff,dc=example,dc=org")
        let plan = F.plan([], directory)
        #expect(plan.roleGroup?.delete == ["uid=jane.smithp1,\(F.base)"])
        #expect(plan.roleGroup?.add == [])
        #expect(plan.warnings.isEmpty)
    }

    @Test func memberStoredInAnotherCaseIsRecognised() {
        var directory = F.settled([Self.jane])
        directory.roleGroup?.members = ["UID=jane.smithp1, OU=Parents,DC=example,DC=org"]
        #expect(F.plan([Self.jane], directory).changes.isEmpty)
        let gone = F.plan([], directory)
        #expect(gone.roleGroup?.delete == ["UID=jane.smithp1, OU=Parents,DC=example,DC=org"])
    }

    @Test func noGroupConfiguredMeansNoGroupWrites() {
        let plan = F.plan([Self.jane], CurrentDirectory(parents: []))
        #expect(plan.roleGroup == nil && plan.changes.allSatisfy { $0.group == nil })
    }
}
