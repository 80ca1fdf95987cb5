import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// "Conflicts are not shelters": a person whose records now overlap two accounts is reported and both
/// accounts are left alone, but for the links the sources revoke.
@Suite struct ConflictSyncTests {
    @Test func personOverlappingTwoAccountsLeavesThemAloneButForARevokedLink() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            // Two records of one mother that dedupe cannot join yet (different e-mails): two accounts.
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A140000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed", email: "ann@example.org", mobile: "07700 900001"))
            export.add(ExportPupil("P2", upn: "A140000000002", "Mia", "Reed"), ExportContact("C2", "Ann", "Reed", email: "ann.reed@work.example.org", mobile: "07700 900002"))
            try site.write(export)
            try await site.apply()
            let before = try await directory.parentsByContact("5301234")
            try #require(before["C1"]?.dn != before["C2"]?.dn, "two accounts to start with")

            // The school fixes the second record's details (now one person), and records a court order.
            export.change(contact: "C2") {
                $0.email = "ann@example.org"
                $0.mobile = "07700 900001"
                $0.courtOrder = true
            }
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.plan.warnings.contains { $0.code == .conflict }, "\(outcome.plan.warnings)")
            let after = try await directory.parentsByContact("5301234")
            #expect(after["C1"]?.strings("misChildRef") == ["5301234/P1"], "left alone")
            #expect(after["C1"]?.strings("mail") == ["ann@example.org"])
            #expect(after["C2"]?.strings("misChildRef") ?? ["?"] == [], "the revoked link goes")
            #expect(after["C2"]?.strings("mail") == ["ann.reed@work.example.org"], "otherwise left alone")
        }
    }
}
