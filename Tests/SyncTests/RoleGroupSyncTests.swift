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
}
