import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// `ldap-sync revoke` and `restore` against a real slapd: the link goes at once, the next apply with the
/// unchanged export leaves it away, and a plan saved before the revoke is stale.
@Suite struct RevokeTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A800000000001", "Tom", "Smith")
    static let lily = ExportPupil("P2", upn: "A800000000002", "Lily", "Smith")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")

    static var export: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(lily, ann)
        return export
    }

    /// The parent's links as `ldapsearch` shows them to the admin.
    static func links(_ server: SlapdServer, _ uid: String) throws -> [String] {
        try server.search(base: server.parentsBase, filter: "(uid=\(uid))", attributes: ["misChildRef", "misChild"])
            .split(separator: "\n").filter { $0.hasPrefix("misChildRef: ") || $0.hasPrefix("misChild: ") }
            .map(String.init).sorted()
    }

    /// Whether the parent's bind succeeds (a new account must change its password first, so a bind is
    /// all it may do).
    static func parentCanBind(_ server: SlapdServer, dn: String, password: String) async throws -> Bool {
        try await FirstPasswordTests().bindSucceeds(server, dn, Secret(password))
    }

    static func audit(_ site: SyncSite) throws -> [AuditRecord] {
        try AuditLog.read(stateDirectory: site.config().stateDir)
    }

    @Test func revokeTakesTheLinkAwayAtOnceAndTheNextApplyLeavesItAway() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF([Self.tom, Self.lily], under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let first = try await site.apply()
            #expect(first.exitStatus == .success)
            let file = try #require(first.result.credentialsFile)
            let rows = try FirstPasswordTests().credentialsRows(file)
            let row = try #require(rows.first { $0["username"] == "ann.smith" })
            let (dn, password) = (try #require(row["dn"]), try #require(row["initial_password"]))
            let tomDN = "uid=tom.p1,\(server.pupilsBase)"
            #expect(try Self.links(server, "ann.smith").contains("misChild: \(tomDN)"))

            let revoked = try site.cli(
                "revoke", "--pupil", "\(Self.school)/P1", "--parent", "ann.smith", "--reason", "court order received",
                "--by", "J. Lead (DSL)")
            #expect(revoked.status == 0, "\(revoked.standardError)")
            #expect(revoked.standardOutput.contains("can still see: \(Self.school)/P2"), "\(revoked.standardOutput)")
            #expect(try Self.links(server, "ann.smith") == [
                "misChild: uid=lily.p2,\(server.pupilsBase)", "misChildRef: \(Self.school)/P2",
            ])
            #expect(try await Self.parentCanBind(server, dn: dn, password: password), "she still sees Lily")

            // Recorded in the restrictions file (state_dir, no policy.restrictions) and the audit log.
            let restrictions = try String(contentsOfFile: site.folder.file("state/restrictions.csv"), encoding: .utf8)
            #expect(restrictions.hasPrefix("pupil,parent,contact,reason,set_by,set_on,ends_on\r\n"))
            #expect(restrictions.contains("\(Self.school)/P1,ann.smith,,court order received,J. Lead (DSL),"))
            let events = try Self.audit(site)
            #expect(events.contains { $0.event == "revoke" && $0.pupil == "\(Self.school)/P1" && $0.message?.contains("J. Lead") == true })
            #expect(events.contains { $0.event == "write" && $0.action == "unlink" && $0.pupil == "\(Self.school)/P1" && $0.result == "ok" })

            // The next scheduled run, with the MIS export unchanged, leaves it away.
            let again = try await site.apply()
            #expect(again.exitStatus == .success)
            #expect(!again.plan.changes.contains { $0.pupil == "\(Self.school)/P1" && $0.dn == dn })
            #expect(try Self.links(server, "ann.smith") == [
                "misChild: uid=lily.p2,\(server.pupilsBase)", "misChildRef: \(Self.school)/P2",
            ])
            #expect(try Self.links(server, "david.smith").contains("misChildRef: \(Self.school)/P1"), "the father keeps Tom")

            // A file of the school's own, configured later, does not make the run forget earlier revokes.
            try site.addPolicy("restrictions: school-restrictions.csv")
            try site.writeFile("school-restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n")
            #expect(try await site.apply().exitStatus == .success)
            #expect(try Self.links(server, "ann.smith").contains("misChildRef: \(Self.school)/P2"))
            #expect(!(try Self.links(server, "ann.smith").contains("misChildRef: \(Self.school)/P1")))

            // Her last child: the account is disabled at once and can no longer bind.
            let last = try site.cli(
                "revoke", "--pupil", "\(Self.school)/P2", "--parent", "ann.smith", "--reason", "second order", "--by", "J. Lead")
            #expect(last.status == 0, "\(last.standardError)")
            #expect(last.standardOutput.contains("the account is disabled"))
            #expect(try String(contentsOfFile: site.folder.file("school-restrictions.csv"), encoding: .utf8).contains("second order"))
            #expect(try Self.links(server, "ann.smith").isEmpty)
            #expect(try await !Self.parentCanBind(server, dn: dn, password: password))
            #expect(try await site.apply().plan.changes.filter { $0.dn == dn }.isEmpty, "no run enables her again")

            // restore lifts one restriction: the next run links Tom again, as the MIS still grants it.
            let restored = try site.cli(
                "restore", "--pupil", "\(Self.school)/P1", "--parent", "ann.smith", "--reason", "order discharged", "--by", "J. Lead")
            #expect(restored.status == 0, "\(restored.standardError)")
            #expect(try Self.audit(site).contains { $0.event == "restore" && $0.pupil == "\(Self.school)/P1" })
            #expect(try await site.apply().exitStatus == .success)
            #expect(try Self.links(server, "ann.smith") == ["misChild: \(tomDN)", "misChildRef: \(Self.school)/P1"])
        }
    }

    @Test func revokeRefusesAnUnknownParentOrPupilAndWritesNothing() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            #expect(try await site.apply().exitStatus == .success)
            let before = try DirectoryInspector(server: server).dumpByDN()

            let parent = try site.cli("revoke", "--pupil", "\(Self.school)/P1", "--parent", "nobody", "--reason", "r", "--by", "b")
            #expect(parent.status == 2)
            #expect(parent.standardError.contains("unknown parent \"nobody\""))
            let pupil = try site.cli("revoke", "--pupil", "\(Self.school)/P9", "--parent", "ann.smith", "--reason", "r", "--by", "b")
            #expect(pupil.status == 2)
            #expect(pupil.standardError.contains("unknown pupil \(Self.school)/P9"))
            let malformed = try site.cli("revoke", "--pupil", "P1", "--parent", "ann.smith", "--reason", "r", "--by", "b")
            #expect(malformed.status == 2)
            let nothingToLift = try site.cli("restore", "--pupil", "\(Self.school)/P1", "--parent", "ann.smith", "--reason", "r", "--by", "b")
            #expect(nothingToLift.status == 2)
            #expect(nothingToLift.standardError.contains("no restriction in force"))

            #expect(try DirectoryInspector(server: server).dumpByDN() == before)
            #expect(!FileManager.default.fileExists(atPath: site.folder.file("state/restrictions.csv")))
        }
    }

    @Test func aLinkTheMISHasNotGrantedYetCanBeForbiddenInAdvance() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = Self.export
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)

            let revoked = try site.cli("revoke", "--pupil", "\(Self.school)/P2", "--parent", "david.smith", "--reason", "r", "--by", "b")
            #expect(revoked.status == 0, "\(revoked.standardError)")
            #expect(revoked.standardOutput.contains("was not linked to \(Self.school)/P2 yet"))
            #expect(revoked.standardOutput.contains("can still see: \(Self.school)/P1"))

            // The MIS adds David as Lily's contact: the run does not link them.
            export.add(Self.lily, Self.david)
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)
            #expect(try Self.links(server, "david.smith").filter { $0.hasPrefix("misChildRef") } == ["misChildRef: \(Self.school)/P1"])
        }
    }

    @Test func revokeWaitsForARunningSyncUpToTheOperationTimeout() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            #expect(try await site.apply().exitStatus == .success)
            try site.editConfig { $0.replacingOccurrences(of: "directory:\n", with: "directory:\n  timeouts: {connect: 10, operation: 1, run: 3600}\n") }

            var lock: RunLock? = try RunLock.acquire(stateDirectory: try site.config().stateDir)
            let started = Date()
            let held = try site.cli("revoke", "--pupil", "\(Self.school)/P1", "--parent", "ann.smith", "--reason", "r", "--by", "b")
            #expect(held.status == 5, "\(held.standardError)")
            #expect(Date().timeIntervalSince(started) >= 1, "it waited before giving up")
            #expect(lock != nil)
            lock = nil

            let free = try site.cli("revoke", "--pupil", "\(Self.school)/P1", "--parent", "ann.smith", "--reason", "r", "--by", "b")
            #expect(free.status == 0, "\(free.standardError)")
        }
    }

    @Test func aPlanSavedBeforeARevokeIsStale() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            #expect(try await site.apply().exitStatus == .success)

            // The restrictions file is part of the sources' fingerprint on its own.
            let before = try await site.prepare().sourcesFingerprint
            try RestrictionsFile.append(
                ["pupil": "\(Self.school)/P2", "parent": "ann.smith", "set_by": "test"], to: site.folder.file("state/restrictions.csv"))
            #expect(try await site.prepare().sourcesFingerprint != before)

            let saved = site.folder.file("reviewed.plan")
            #expect(try site.cli("plan", "--save", saved).status == 0)
            let revoked = try site.cli("revoke", "--pupil", "\(Self.school)/P1", "--parent", "david.smith", "--reason", "r", "--by", "b")
            #expect(revoked.status == 0, "\(revoked.standardError)")
            let stale = try site.cli("apply", "--plan", saved)
            #expect(stale.status == 6, "\(stale.standardError)")
        }
    }
}
