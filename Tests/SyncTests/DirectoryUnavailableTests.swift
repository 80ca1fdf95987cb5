import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// Exit 4: the directory cannot be reached, or refuses the bind; nothing is planned or written.
@Suite struct DirectoryUnavailableTests {
    @Test func wrongBindPasswordExitsFourForPlanAndApply() async throws {
        try await withSlapd { server in
            let site = try siteWithOneFamily(server)
            defer { site.remove() }
            try Data("not-the-password\n".utf8).write(to: URL(fileURLWithPath: site.folder.file("bind.secret")))
            let plan = try site.cli("plan")
            #expect(plan.status == 4, "\(plan.standardError)")
            #expect(!plan.standardError.contains("not-the-password"), "no secret in messages")
            #expect(try site.cli("apply").status == 4)
            #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").isEmpty)
        }
    }

    @Test func stoppedServerExitsFour() async throws {
        try await withSlapd { server in
            let site = try siteWithOneFamily(server)
            defer { site.remove() }
            await server.stop()
            let apply = try site.cli("apply")
            #expect(apply.status == 4, "\(apply.standardError)")
        }
    }

    func siteWithOneFamily(_ server: SlapdServer) throws -> SyncSite {
        let site = try SyncSite(server: server)
        var export = CanonicalExport(school: "5301234")
        export.add(ExportPupil("P1", upn: "A120000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
        try site.write(export)
        return site
    }
}
