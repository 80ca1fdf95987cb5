import Directory
import SlapdHarness
import Testing

@testable import Sync

/// Every uid in the username scope is read with the parents (reading it only when someone is new, after
/// resolving, let a late write give a parent a second account); a username elsewhere in the tree is
/// never handed out.
@Suite struct UsernameReadTests {
    @Test func aUsernameElsewhereInTheTreeIsNeverHandedOut() async throws {
        try await withSlapd { server in
            try server.add(ldif: """
                dn: uid=ann.smith,ou=Services,\(server.suffix)
                objectClass: inetOrgPerson
                uid: ann.smith
                cn: Ann Smith
                sn: Smith

                """)
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A410000000001", "Tom", "Smith"), ExportContact("C1", "Ann", "Smith"))
            try site.write(export)

            let first = try await site.prepare()
            #expect(first.snapshot.takenUsernames.contains("ann.smith"), "the tree's uids are read")
            #expect(try await site.apply().exitStatus == .success)
            let ann = try #require(try await DirectoryInspector(server: server).parentsByContact("5301234")["C1"])
            #expect(ann.strings("uid") != ["ann.smith"], "a member of staff's username is never given to a parent")

            let again = try await site.prepare()
            #expect(again.plan.changes.isEmpty)

            export.add(ExportPupil("P2", upn: "A410000000002", "Mia", "Smith"), ExportContact("C2", "Ann", "Smith", email: "other.ann@example.org"))
            try site.write(export)
            let third = try await site.prepare()
            let creates = third.plan.changes.filter { $0.action == .create }
            #expect(creates.count == 1)
            #expect(!creates.contains { $0.dn.lowercased().hasPrefix("uid=ann.smith,") })
            #expect(third.snapshot.takenUsernames.contains("ann.smith"))
        }
    }
}
