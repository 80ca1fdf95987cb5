import Directory
import Foundation
import Reconcile
import SlapdHarness
import Testing

@testable import Sync

/// `directory.incremental_read`: a run reads from the server only the entries changed since the last read
/// and takes the rest from the copy in `state_dir`. Whatever is changed behind ldap-sync's back, the run
/// sees what a read of every entry would have seen.
@Suite struct IncrementalReadTests {
    /// A reader of the site's directory with its cache at `path`, written.
    static func cachingReader(_ config: Config, _ path: String) -> DirectoryReader {
        var reader = DirectoryReader(config)
        reader.cache = EntryCacheSettings(path: path, reader: config.directory.bindDN ?? "", writes: true)
        return reader
    }

    /// The loaded site (`DirectoryReadTests.loadedSite`), a connection and a caching reader that has read
    /// the tree once (so its cache, at `path`, is written).
    static func primed(_ server: SlapdServer) async throws -> (SyncSite, Config, String, LDAPConnection, DirectoryReader) {
        let site = try await DirectoryReadTests.loadedSite(server)
        let config = try site.config()
        let path = site.folder.file("directory-cache")
        let connection = try await DirectorySession.open(config)
        let reader = cachingReader(config, path)
        _ = try await reader.readForRun(from: connection)
        return (site, config, path, connection, reader)
    }

    /// The cache's records as entries, by DN.
    static func cached(_ path: String, _ key: [UInt8]) throws -> [String: (version: [UInt8], entry: Entry)] {
        let reader = try #require(EntryCacheReader(path: path, key: key))
        var records: [String: (version: [UInt8], entry: Entry)] = [:]
        for (dn, version, entry) in EntryCacheFileTests.readAll(reader) { records[dn] = (version, entry) }
        #expect(reader.isIntact)
        return records
    }

    /// The key `readForRun` writes its cache under (the whole-tree search of the site's config).
    static func key(_ config: Config, _ server: SlapdServer) -> [UInt8] {
        let attributes = DirectoryReader.parentAttributes + ["employeeNumber"]
        let filter = "(|(uid=*)(employeeNumber=*))"
        return Array([server.suffix, "2", filter, attributes.joined(separator: ","), config.directory.bindDN ?? ""].joined(separator: "\n").utf8)
    }

    /// Every kind of change made by hand between two runs — an attribute changed, a link added, an entry
    /// deleted, added or renamed, a pupil's match value changed, a pupil gone, a uid added to staff — is
    /// read as a whole read reads it, and the cache is written anew to match.
    @Test func changesBehindTheRunsBackAreReadAsAWholeReadReadsThem() async throws {
        try await withSlapd { server in
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            let config = try site.config()
            let path = site.folder.file("cache/directory-cache")
            let connection = try await DirectorySession.open(config)
            let reader = Self.cachingReader(config, path)
            let plain = DirectoryReader(config)

            let first = try await reader.readForRun(from: connection)
            #expect(first.readKind == .whole("no cache of this read in the state folder yet"))
            DirectoryReadTests.expectSame(first, try await plain.readForRun(from: connection))
            var records = try Self.cached(path, Self.key(config, server))
            let before = records.count
            #expect(before >= 6, "two parents, one made by hand, staff, two pupils")
            #expect(records["uid=ann.smith,\(server.parentsBase)"]?.entry["entryCSN"] == nil, "kept as a read without it gives it")

            let admin = try await DirectoryInspector(server: server).connect()
            let ann = "uid=ann.smith,\(server.parentsBase)"
            try await admin.modify(ModifyRequest(dn: ann, modifications: [
                Modification(.replace, "mail", ["ann@elsewhere.example"]),
                Modification(.add, "misChildRef", ["5301234/P2"]),
                Modification(.add, "misChild", ["uid=mia.p2,\(server.pupilsBase)"]),
            ]))
            try await admin.delete(DeleteRequest(dn: "uid=bob.jones,\(server.parentsBase)"))
            try await admin.modify(ModifyRequest(dn: "uid=tom.p1,\(server.pupilsBase)", modifications: [Modification(.replace, "employeeNumber", ["A410000000009"])]))
            try await admin.delete(DeleteRequest(dn: "uid=mia.p2,\(server.pupilsBase)"))
            try await admin.rename(RenameRequest(dn: "uid=Hand.Made,\(server.parentsBase)", newRDN: "uid=Hand.Remade", deleteOldRDN: true))
            try await admin.modify(ModifyRequest(dn: "uid=staff.one,ou=Services,\(server.suffix)", modifications: [Modification(.add, "uid", ["staff.alias"])]))
            try server.add(ldif: """
                dn: uid=cara.new,\(server.parentsBase)
                objectClass: inetOrgPerson
                objectClass: misParent
                uid: cara.new
                cn: Cara New
                sn: New
                misParentId: hand-made-1

                """)
            await admin.close()

            let second = try await reader.readForRun(from: connection)
            // Ann, Tom and the staff entry changed, Hand.Made renamed (its old DN gone, its new one read),
            // Cara new; Bob and Mia gone.
            #expect(second.readKind == .incremental(unchanged: before - 6, changed: 5, gone: 3))
            let whole = try await plain.readForRun(from: connection)
            DirectoryReadTests.expectSame(second, whole)
            #expect(second.managedParents.compactMap { $0.string("uid") }.sorted() == ["ann.smith", "cara.new"])
            #expect(second.managedParents.first { $0.dn == ann }?.strings("misChildRef").sorted() == ["5301234/P1", "5301234/P2"])
            #expect(second.pupilDNs.keys.sorted() == ["A410000000009"])
            #expect(second.unmanagedUsernames == ["hand.remade"])
            #expect(second.takenUsernames.contains("staff.alias"))

            records = try Self.cached(path, Self.key(config, server))
            #expect(records.count == before - 1, "Bob and Mia gone, Cara new")
            #expect(records[ann]?.entry.string("mail") == "ann@elsewhere.example")
            let third = try await reader.readForRun(from: connection)
            #expect(third.readKind == .incremental(unchanged: before - 1, changed: 0, gone: 0))
            DirectoryReadTests.expectSame(third, whole)
            await connection.close()
        }
    }

    /// What makes the cache worth having, and the rule it lives by: an entry whose version (`entryCSN` and
    /// lock) is what the cache has is taken from the cache, not from the server; the first write to it,
    /// whoever makes it, sends the run back to the server for it.
    @Test func anEntryIsTakenFromTheCacheUntilItsVersionChanges() async throws {
        try await withSlapd { server in
            let (site, config, path, connection, reader) = try await Self.primed(server)
            defer { site.remove() }

            // The cache's copy of Ann given another cn, under her version as read.
            let key = Self.key(config, server)
            let ann = "uid=ann.smith,\(server.parentsBase)"
            try Self.rewrite(path, key) { dn, version, entry in
                guard dn == ann else { return (version, entry) }
                var attributes = entry.attributes
                attributes[attributes.firstIndex { $0.name == "cn" }!] = Attribute("cn", ["Copy Of Ann"])
                return (version, Entry(dn: dn, attributes: attributes))
            }
            #expect(try await reader.readForRun(from: connection).managedParents.first { $0.dn == ann }?.string("cn") == "Copy Of Ann")

            let admin = try await DirectoryInspector(server: server).connect()
            try await admin.modify(ModifyRequest(dn: ann, modifications: [Modification(.replace, "description", ["touched"])]))
            await admin.close()
            #expect(try await reader.readForRun(from: connection).managedParents.first { $0.dn == ann }?.string("cn") == "Ann Smith")
            await connection.close()
        }
    }

    /// ppolicy locks and unlocks accounts on binds by itself; the lock is compared on its own, so a cache
    /// that disagrees with the server about it is not believed (here: it says locked, the server not).
    @Test func aLockTheCacheDisagreesAboutIsReadFromTheServer() async throws {
        try await withSlapd { server in
            let (site, config, path, connection, reader) = try await Self.primed(server)
            defer { site.remove() }
            let ann = "uid=ann.smith,\(server.parentsBase)"
            try Self.rewrite(path, Self.key(config, server)) { dn, version, entry in
                guard dn == ann else { return (version, entry) }
                let lock = Attribute("pwdAccountLockedTime", ["000001010000Z"])
                return (version + [0] + Array("000001010000Z".utf8), Entry(dn: dn, attributes: entry.attributes + [lock]))
            }
            let read = try await reader.readForRun(from: connection)
            #expect(read.managedParents.first { $0.dn == ann }?.string("pwdAccountLockedTime") == nil)
            DirectoryReadTests.expectSame(read, try await DirectoryReader(config).readForRun(from: connection))
            await connection.close()
        }
    }

    /// A cache with one byte changed is not used: the run reads the whole tree and writes the cache anew.
    @Test func aDamagedCacheIsNotUsedAndIsWrittenAgain() async throws {
        try await withSlapd { server in
            let (site, config, path, connection, reader) = try await Self.primed(server)
            defer { site.remove() }
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let cn = try #require(bytes.range(of: Data("Ann Smith".utf8)))
            bytes[cn.lowerBound] = UInt8(ascii: "X")
            try bytes.write(to: URL(fileURLWithPath: path))

            let read = try await reader.readForRun(from: connection)
            #expect(read.readKind == .whole("the cache in the state folder is damaged"))
            #expect(read.managedParents.first { $0.string("uid") == "ann.smith" }?.string("cn") == "Ann Smith")
            DirectoryReadTests.expectSame(read, try await DirectoryReader(config).readForRun(from: connection))
            #expect(try Self.cached(path, Self.key(config, server))["uid=ann.smith,\(server.parentsBase)"]?.entry.string("cn") == "Ann Smith")
            await connection.close()
        }
    }

    /// More than an eighth of the entries changed since the cache was written (more than 64): the whole
    /// tree is read, as the listing and the search of the changes would cost more than it.
    @Test func aCacheFarBehindTheDirectoryMeansAWholeRead() async throws {
        try await withSlapd { server in
            let pupils = (1...80).map { ExportPupil("Q\($0)", upn: "Q4100000000\($0 + 10)", "Pupil", "Number\($0)") }
            try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
            let (site, config, path, connection, reader) = try await Self.primed(server)
            defer { site.remove() }
            let admin = try await DirectoryInspector(server: server).connect()
            for pupil in pupils {
                let dn = "uid=\(pupil.given.lowercased()).\(pupil.id.lowercased()),\(server.pupilsBase)"
                try await admin.modify(ModifyRequest(dn: dn, modifications: [Modification(.replace, "employeeNumber", ["N\(pupil.upn)"])]))
            }
            await admin.close()
            let read = try await reader.readForRun(from: connection)
            guard case .whole(let reason) = read.readKind else {
                Issue.record("read through the cache: \(String(describing: read.readKind))")
                return
            }
            #expect(reason.hasPrefix("80 of "))
            #expect(read.pupilDNs.keys.filter { $0.hasPrefix("NQ") }.count == 80)
            DirectoryReadTests.expectSame(read, try await DirectoryReader(config).readForRun(from: connection))
            let total = try Self.cached(path, Self.key(config, server)).count
            #expect(try await reader.readForRun(from: connection).readKind == .incremental(unchanged: total, changed: 0, gone: 0))
            await connection.close()
        }
    }

    /// A bind DN not given `entryCSN` (as 389 DS and AD give none): every run reads the whole tree, no cache
    /// is kept, and `check` says so.
    @Test func withoutEntryCSNEveryRunReadsTheWholeTree() async throws {
        let hidden = "access to attrs=entryCSN\n    by * none\n" + SlapdOptions.harnessAccessRules
        try await withSlapd(SlapdOptions(accessRules: hidden)) { server in
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            let config = try site.config()
            let cache = site.folder.file("state/directory-cache")
            #expect(!FileManager.default.fileExists(atPath: cache))
            let connection = try await DirectorySession.open(config)
            var reader = Self.cachingReader(config, cache)
            reader.cache?.writes = true
            for _ in 0..<2 {
                let read = try await reader.readForRun(from: connection)
                #expect(read.readKind == .whole("no cache of this read in the state folder yet"))
                DirectoryReadTests.expectSame(read, try await DirectoryReader(config).readForRun(from: connection))
            }
            #expect(!FileManager.default.fileExists(atPath: cache))
            await connection.close()
            let check = await DirectoryCheck.run(config: config)
            #expect(check.text.contains("the server gives the bind DN no entryCSN"), "\(check.text)")
        }
    }

    /// `entryCSN` hidden on part of the tree only (staff's entries, read before the parents): no cache, and
    /// the entries after the one without it are still those of a read that never asked for it (a saved
    /// plan's fingerprint of the directory depends on it).
    @Test func entryCSNHiddenOnPartOfTheTreeMeansAWholeReadOfTheSameEntries() async throws {
        // The harness's suffix (DESIGN.md's default), needed before the server exists.
        let hidden = "access to dn.subtree=\"ou=Services,dc=example,dc=org\" attrs=entryCSN\n    by * none\n"
            + SlapdOptions.harnessAccessRules
        try await withSlapd(SlapdOptions(accessRules: hidden)) { server in
            #expect(server.suffix == "dc=example,dc=org")
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            // Without pupils in the read, a parent's entry is kept with every attribute the server sent.
            try site.editConfig { $0.replacingOccurrences(of: "  pupil_match_attribute: employeeNumber\n", with: "") }
            let config = try site.config()
            #expect(config.directory.pupilMatchAttribute == nil)
            let path = site.folder.file("directory-cache")
            let connection = try await DirectorySession.open(config)
            let read = try await Self.cachingReader(config, path).readForRun(from: connection)
            #expect(read.readKind == .whole("no cache of this read in the state folder yet"))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(read.managedParents.allSatisfy { $0["entryCSN"] == nil })
            DirectoryReadTests.expectSame(read, try await DirectoryReader(config).readForRun(from: connection))
            await connection.close()
        }
    }

    /// slapd with `lastmod off` keeps no `entryCSN`: runs read the whole tree and keep no cache, so no
    /// change made by hand can be missed.
    @Test func lastmodOffMeansWholeReads() async throws {
        var options = SlapdOptions()
        options.databaseDirectives = "lastmod off"
        try await withSlapd(options) { server in
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            let config = try site.config()
            let connection = try await DirectorySession.open(config)
            let read = try await Self.cachingReader(config, site.folder.file("state/directory-cache")).readForRun(from: connection)
            #expect(read.readKind == .whole("no cache of this read in the state folder yet"))
            #expect(!FileManager.default.fileExists(atPath: site.folder.file("state/directory-cache")))
            await connection.close()
        }
    }

    /// The safeguarding case end to end: a child linked to a parent by hand, behind ldap-sync's back, is
    /// unlinked by the next run (which reads that parent from the server, her entry having changed).
    @Test func aLinkAddedByHandIsTakenAwayByTheNextRun() async throws {
        try await withSlapd { server in
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            let cache = site.folder.file("state/directory-cache")
            #expect(FileManager.default.fileExists(atPath: cache), "apply keeps the cache")
            #expect(try await site.apply().plan.changes.isEmpty)

            let ann = "uid=ann.smith,\(server.parentsBase)"
            let admin = try await DirectoryInspector(server: server).connect()
            try await admin.modify(ModifyRequest(dn: ann, modifications: [
                Modification(.add, "misChildRef", ["5301234/P2"]), Modification(.add, "misChild", ["uid=mia.p2,\(server.pupilsBase)"]),
            ]))
            await admin.close()
            let outcome = try await site.apply()
            #expect(outcome.plan.changes.contains { $0.action == .unlink && $0.dn.lowercased() == ann.lowercased() && $0.pupil == "5301234/P2" })
            #expect(outcome.plan.changes.allSatisfy { $0.dn.lowercased() == ann.lowercased() }, "nothing else changed")
            let entry = try #require(try await DirectoryInspector(server: server).entries(under: ann, scope: .base).first)
            #expect(entry.strings("misChildRef") == ["5301234/P1"])
            #expect(try await site.apply().plan.changes.isEmpty)
        }
    }

    /// `plan` reads the cache but never writes it; with `incremental_read: false` no run keeps one.
    @Test func planDoesNotWriteTheCacheAndTheConfigCanTurnItOff() async throws {
        try await withSlapd { server in
            let site = try await DirectoryReadTests.loadedSite(server)
            defer { site.remove() }
            let cache = site.folder.file("state/directory-cache")
            try FileManager.default.removeItem(atPath: cache)
            _ = try await site.prepare()
            #expect(!FileManager.default.fileExists(atPath: cache))

            try site.editConfig { $0.replacingOccurrences(of: "  parent_group:", with: "  incremental_read: false\n  parent_group:") }
            #expect(try site.config().directory.incrementalRead == false)
            _ = try await site.apply()
            #expect(!FileManager.default.fileExists(atPath: cache))
            try site.editConfig { $0.replacingOccurrences(of: "incremental_read: false", with: "incremental_read: true") }
            _ = try await site.apply()
            #expect(FileManager.default.fileExists(atPath: cache))
        }
    }

    /// Rewrites the cache at `path`, each record through `edit`.
    static func rewrite(_ path: String, _ key: [UInt8], _ edit: (String, [UInt8], Entry) -> ([UInt8], Entry)) throws {
        let reader = try #require(EntryCacheReader(path: path, key: key))
        let records = EntryCacheFileTests.readAll(reader)
        let writer = try EntryCacheWriter(path: path, key: key)
        for (dn, version, entry) in records {
            let (newVersion, newEntry) = edit(dn, version, entry)
            writer.append(dn: dn, version: newVersion, attributes: newEntry.encodedAttributes)
        }
        try writer.finish()
    }
}
