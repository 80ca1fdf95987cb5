import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// "A single value the directory cannot store is left out with a warning, not an error" (DESIGN.md
/// Part A, "Nothing half-done"): a typo in the MIS must not keep a parent from their account.
@Suite struct ValueSyntaxTests {
    @Test func anEmailTheDirectoryCannotStoreIsLeftOutAndTheAccountIsStillCreated() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A110000000001", "Tom", "Reed"), ExportContact("C1", "Zoë", "Reed", email: "zoë@example.org", mobile: "07700 900123"))
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success, "\(outcome.result.failures)")
            #expect(outcome.plan.warnings.contains { $0.code == .valueLeftOut && $0.message.contains("zoë@example.org") })
            let parent = try #require(try await DirectoryInspector(server: server).parentsByContact("5301234")["C1"])
            #expect(parent.strings("mail").isEmpty)
            #expect(parent.strings("mobile") == ["+447700900123"])
            #expect(parent.strings("givenName") == ["Zoë"])
            #expect(try await site.prepare().plan.changes.isEmpty, "the next run does not try again")
        }
    }
}
