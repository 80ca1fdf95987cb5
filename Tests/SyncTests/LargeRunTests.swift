import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A first run bigger than one round of creates (500) and one pipelining window: every account arrives
/// once, with its password in the file and its group membership, and the next run has nothing to do.
@Suite struct LargeRunTests {
    @Test func firstRunOfManyRoundsCreatesEveryAccountOnceAndTheNextRunChangesNothing() async throws {
        let families = 600
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            for number in 1...families {
                export.add(
                    ExportPupil("P\(number)", upn: "L\(100_000_000_000 + number)", "Child", "Family\(number)"),
                    ExportContact("C\(number)", "Parent", "Family\(number)", email: "parent\(number)@example.org"))
            }
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success, "\(outcome.result.failures.prefix(3))")
            #expect(outcome.result.credentials.count == families)

            let directory = DirectoryInspector(server: server)
            let parents = try await directory.entries(under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["uid"])
            #expect(parents.count == families)
            #expect(try await directory.groupMembers(site.parentGroup)?.count == families)
            let again = try await site.prepare()
            #expect(again.plan.changes.isEmpty && again.plan.roleGroup == nil)
            #expect(again.plan.summary.unchanged == families)
        }
    }
}
