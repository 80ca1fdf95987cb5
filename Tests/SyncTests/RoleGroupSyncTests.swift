import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The role group in a real slapd: a `groupOfNames` must keep a member, and a disable and an enable move
/// a parent out of it and back.
@Suite struct RoleGroupSyncTests {
    @Test func lastMemberLeavingKeepsTheGroupWithAPlaceholderUntilAParentIsEnabledAgain() async throws {
        let pupil = ExportPupil("P1", upn: "A900000000001", "Tom", "Reed")
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            var export = CanonicalExport(school: "5301234")
            export.add(pupil, ExportContact("C1", "Ann", "Reed"))
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)
            let ann = try #require(try await directory.parentsByContact("5301234")["C1"])
            #expect(try await directory.groupMembers(site.parentGroup) == [ann.dn.lowercased()])

            // Ann loses parental responsibility: the group's only member goes, the group stays.
            export.change(contact: "C1") { $0.parentalResponsibility = "N" }
            try site.write(export)
            let disabled = try await site.apply()
            #expect(disabled.exitStatus == .success, "\(disabled.result.failures)")
            #expect(try await directory.parentsByContact("5301234")["C1"]?.strings("misAccountStatus") == ["disabled"])
            #expect(try await directory.groupMembers(site.parentGroup) == [site.parentGroup.lowercased()])

            // It comes back: Ann is enabled, unlocked, and replaces the placeholder.
            export.change(contact: "C1") { $0.parentalResponsibility = "Y" }
            try site.write(export)
            let enabled = try await site.apply()
            #expect(enabled.exitStatus == .success, "\(enabled.result.failures)")
            let again = try #require(try await directory.parentsByContact("5301234")["C1"])
            #expect(again.strings("misAccountStatus") == ["active"])
            #expect(again.strings("pwdAccountLockedTime").isEmpty)
            #expect(again.strings("misChildRef") == ["5301234/P1"])
            #expect(try await directory.groupMembers(site.parentGroup) == [ann.dn.lowercased()])
            #expect(try await site.prepare().plan.changes.isEmpty)
        }
    }

    @Test func roleGroupDeletedByAnAdminIsCreatedAgainWithEveryActiveParent() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A900000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
            export.add(ExportPupil("P2", upn: "A900000000002", "Mia", "Lane"), ExportContact("C2", "Ian", "Lane", relationship: "Father"))
            try site.write(export)
            try await site.apply()
            let members = try #require(try await directory.groupMembers(site.parentGroup))
            #expect(members.count == 2)

            let admin = try await directory.connect()
            try await admin.delete(DeleteRequest(dn: site.parentGroup))
            await admin.close()
            #expect(try await directory.groupMembers(site.parentGroup) == nil)

            let repaired = try await site.apply()
            #expect(repaired.exitStatus == .success, "\(repaired.result.failures)")
            #expect(try await directory.groupMembers(site.parentGroup) == members)
        }
    }
}
