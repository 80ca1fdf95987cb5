import Directory
import Reconcile
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A run's read of the directory: one search of the username scope when it holds the parents (and the
/// pupils), the same snapshot as the separate reads of the uids, the parents and the pupils.
@Suite struct DirectoryReadTests {
    /// Two families applied, a member of staff with a uid, a parent entry made by hand (unmanaged) and a
    /// managed parent that also carries the pupils' match attribute.
    static func loadedSite(_ server: SlapdServer) async throws -> SyncSite {
        let site = try SyncSite(server: server)
        let pupils = [ExportPupil("P1", upn: "A410000000001", "Tom", "Smith"), ExportPupil("P2", upn: "A410000000002", "Mia", "Jones")]
        try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
        try server.add(ldif: """
            dn: uid=staff.one,ou=Services,\(server.suffix)
            objectClass: inetOrgPerson
            uid: staff.one
            cn: Staff One
            sn: One
            employeeNumber: S1

            dn: uid=Hand.Made,\(server.parentsBase)
            objectClass: inetOrgPerson
            uid: Hand.Made
            cn: Hand Made
            sn: Made

            """)
        var export = CanonicalExport(school: "5301234")
        export.add(pupils[0], ExportContact("C1", "Ann", "Smith"))
        export.add(pupils[1], ExportContact("C2", "Bob", "Jones"))
        try site.write(export)
        #expect(try await site.apply().exitStatus == .success)
        let admin = try await DirectoryInspector(server: server).connect()
        try await admin.modify(ModifyRequest(dn: "uid=ann.smith,\(server.parentsBase)", modifications: [Modification(.add, "employeeNumber", ["A410000000001"])]))
        await admin.close()
        return site
    }

    /// The snapshot without the whole-tree search: the uids, then the parents, then the pupils.
    static func separateReads(_ reader: DirectoryReader, _ connection: LDAPConnection) async throws -> DirectorySnapshot {
        let taken = try await reader.readTakenUsernames(connection)
        var snapshot = try await reader.read(from: connection)
        snapshot.takenUsernames = taken
        return snapshot
    }

    static func expectSame(_ a: DirectorySnapshot, _ b: DirectorySnapshot) {
        #expect(a.managedParents.sorted { $0.dn < $1.dn } == b.managedParents.sorted { $0.dn < $1.dn })
        #expect(a.unmanagedUsernames == b.unmanagedUsernames)
        #expect(a.takenUsernames == b.takenUsernames)
        #expect(a.pupilDNs == b.pupilDNs)
        #expect(a.roleGroup == b.roleGroup)
        #expect(a.passwordlessDNs == b.passwordlessDNs)
        // The planner's view the reader made as the entries arrived: entry by entry, as made from them after.
        for snapshot in [a, b] {
            #expect(snapshot.currentParents == snapshot.managedParents.map(CurrentParent.init))
            #expect(CurrentDirectory(snapshot).parents.map(\.dn) == snapshot.managedParents.map(\.dn))
        }
    }

    @Test(arguments: [nil, "ou=Parents", "ou=Services"])
    func oneSearchOfTheScopeReadsWhatTheSeparateReadsRead(scope: String?) async throws {
        try await withSlapd { server in
            let site = try await Self.loadedSite(server)
            defer { site.remove() }
            var config = try site.config()
            config.directory.usernameScope = scope.map { "\($0),\(server.suffix)" }
            let connection = try await DirectorySession.open(config)
            let reader = DirectoryReader(config)
            let folded = try await reader.readForRun(from: connection)
            Self.expectSame(folded, try await Self.separateReads(reader, connection))

            #expect(folded.managedParents.count == 2)
            let ann = try #require(folded.managedParents.first { $0.string("uid") == "ann.smith" })
            #expect(ann["employeeNumber"] == nil, "a parent's entry has only the parents' attributes")
            #expect(folded.unmanagedUsernames == ["hand.made"])
            #expect(folded.takenUsernames.contains("hand.made") == (scope != "ou=Services"))
            #expect(folded.takenUsernames.contains("staff.one") == (scope != "ou=Parents"))
            #expect(folded.takenUsernames.contains("tom.p1") == (scope == nil))
            #expect(folded.pupilDNs["A410000000002"]?.lowercased() == "uid=mia.p2,\(server.pupilsBase)".lowercased())
            #expect(folded.pupilDNs["S1"] == nil, "only entries under pupils_base are pupils")
            await connection.close()
        }
    }

    /// `apply` asks for the passwordless accounts after the parents, as the other commands do, and reads
    /// the answer after planning: the same DNs.
    @Test func passwordlessAccountsReadAfterPlanningAreThoseReadWithTheRest() async throws {
        try await withSlapd { server in
            let site = try await Self.loadedSite(server)
            defer { site.remove() }
            let config = try site.config()
            let admin = try await DirectoryInspector(server: server).connect()
            let ann = "uid=ann.smith,\(server.parentsBase)"
            try await admin.modify(ModifyRequest(dn: ann, modifications: [Modification(.delete, "userPassword", values: [])]))
            await admin.close()
            let connection = try await DirectorySession.open(config)
            let now = try await DirectoryReader(config).readForRun(from: connection)
            #expect(now.passwordlessRead == nil)
            #expect(now.passwordlessDNs.map { $0.lowercased() } == [ann.lowercased()])

            var reader = DirectoryReader(config)
            reader.passwordlessLater = true
            var later = try await reader.readForRun(from: connection)
            #expect(later.passwordlessRead != nil)
            #expect(later.passwordlessDNs.isEmpty, "not read until asked for")
            try await SyncRun.readPasswordless(&later, config.directory)
            #expect(later.passwordlessRead == nil)
            Self.expectSame(now, later)
            // Nothing is left on the connection: the writes can follow.
            #expect(try await connection.run(WriteBatch()).isEmpty)
            await connection.close()
        }
    }

    /// The connection lost before the passwordless accounts are read is the directory lost while reading
    /// (the run reconnects, nothing having been written), not a failed run.
    @Test func aConnectionLostBeforeThePasswordlessAccountsAreReadIsTheDirectoryUnavailable() async throws {
        try await withSlapd { server in
            let site = try await Self.loadedSite(server)
            defer { site.remove() }
            let config = try site.config()
            let connection = try await DirectorySession.open(config)
            var reader = DirectoryReader(config)
            reader.passwordlessLater = true
            var snapshot = try await reader.readForRun(from: connection)
            // A search sent on the connection after it closed: what a connection lost meanwhile gives.
            await connection.close()
            snapshot.passwordlessRead = connection.startSearch(SearchRequest(base: server.parentsBase, filter: .present("uid")))
            await #expect {
                try await SyncRun.readPasswordless(&snapshot, config.directory)
            } throws: { error in
                (error as? DirectoryUnavailable)?.underlying.code == .serverDown
            }
        }
    }
}
