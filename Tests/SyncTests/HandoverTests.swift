import Directory
import Foundation
import SlapdHarness
import Testing

import Reconcile
@testable import Sync

/// `accounts.activation: on_handover`: a new account exists but refuses every login until its letter
/// is handed over and `credentials handover` unlocks it.
@Suite struct HandoverTests {
    static func export() -> CanonicalExport {
        var export = CanonicalExport(school: "5301234")
        export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C1", "Ian", "Reed", relationship: "Father"))
        export.add(ExportPupil("P2", upn: "A600000000002", "Ava", "Shah"), ExportContact("C2", "Nina", "Shah"))
        return export
    }

    @Test func pendingAccountRefusesTheLoginUntilHandedOverThenAsksForANewPassword() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["activation: on_handover", "password_hash: crypt-sha512"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            try site.write(Self.export())
            let created = try await site.apply()
            #expect(created.exitStatus == .success)
            let rows = try FirstPasswordTests().credentialsRows(try #require(created.result.credentialsFile))
            let ian = try #require(rows.first { $0["given_name"] == "Ian" })
            let nina = try #require(rows.first { $0["given_name"] == "Nina" })
            let dn = try #require(ian["dn"])
            let password = try #require(ian["initial_password"])

            let inspector = DirectoryInspector(server: server)
            let pending = try #require(try await inspector.entries(under: dn, scope: .base, attributes: ["*", "pwdAccountLockedTime"]).first)
            #expect(pending.string("misAccountStatus") == "pending")
            #expect(pending.string("pwdAccountLockedTime") == "000001010000Z")
            #expect(try await inspector.groupMembers(site.parentGroup)?.contains(dn.lowercased()) != true)
            let before = try clients.whoami(dn, password)
            #expect(before.invalidCredentials && before.accountLocked, "\(before.output)")
            #expect(try await site.prepare().plan.changes.isEmpty, "a pending account is not 'repaired' by the next run")

            let handover = try site.credentials("handover", "--user", try #require(ian["username"]))
            #expect(handover.status == 0, "\(handover.standardError)")
            #expect(handover.standardOutput.contains("handed over"))
            let after = try clients.whoami(dn, password)
            #expect(after.mustChangePassword, "\(after.output)")
            let active = try #require(try await inspector.entries(under: dn, scope: .base, attributes: ["*", "pwdAccountLockedTime"]).first)
            #expect(active.string("misAccountStatus") == "active")
            #expect(active.string("pwdAccountLockedTime") == nil)
            #expect(active.string("misStatusReason") == "handed-over")
            let since = try #require(active.string("misStatusSince").flatMap(GeneralizedTime.date(from:)))
            #expect(abs(since.timeIntervalSinceNow) < 120, "misStatusSince is the hand-over's time")
            let members = try await inspector.groupMembers(site.parentGroup)
            #expect(members?.contains(dn.lowercased()) == true, "\(String(describing: members)) \(handover.standardError)")
            let audit = try String(contentsOfFile: site.folder.file("state/audit.jsonl"), encoding: .utf8)
            #expect(audit.contains("\"event\":\"handover\"") && audit.contains(dn))
            // The other parent is still locked, also after a reissued letter (setting a password makes slapd
            // drop the lock; it is written again), and the next run leaves both as they are.
            let ninaDN = try #require(nina["dn"])
            #expect(try clients.whoami(ninaDN, try #require(nina["initial_password"])).accountLocked)
            #expect(try site.credentials("reissue", "--user", try #require(nina["username"])).status == 0)
            let reissued = try #require(try FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials")).first { $0.hasSuffix("-reissue.csv") })
            let ninaAgain = try FirstLoginTests.onlyRow(site.folder.file("credentials/\(reissued)"))
            #expect(try clients.whoami(ninaDN, try #require(ninaAgain["initial_password"])).accountLocked)
            #expect(try await site.prepare().plan.changes.isEmpty)
            // Handing over again is nothing to do.
            let again = try site.credentials("handover", "--user", try #require(ian["username"]))
            #expect(again.status == 0 && again.standardOutput.contains("already active"))
        }
    }

    @Test func aHandoverListWithAnUnknownNameUnlocksNobody() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["activation: on_handover"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            try site.write(Self.export())
            let rows = try FirstPasswordTests().credentialsRows(try #require(try await site.apply().result.credentialsFile))
            let names = rows.compactMap { $0["username"] }
            let list = site.folder.file("handed-over.csv")
            try Data("name,username,signed\r\nIan Reed,\(names[0]),Y\r\nNobody,no.such.parent,Y\r\n".utf8).write(to: URL(fileURLWithPath: list))
            let refused = try site.credentials("handover", "--file", list)
            #expect(refused.status == 2 && refused.standardError.contains("no.such.parent"), "\(refused.standardError)")
            for row in rows {
                #expect(try clients.whoami(try #require(row["dn"]), try #require(row["initial_password"])).accountLocked)
            }

            try Data("name,username\r\n,\(names[0])\r\n,\(names[1])\r\n".utf8).write(to: URL(fileURLWithPath: list))
            let done = try site.credentials("handover", "--file", list)
            #expect(done.status == 0, "\(done.standardError)")
            for row in rows {
                #expect(try clients.whoami(try #require(row["dn"]), try #require(row["initial_password"])).mustChangePassword)
            }
            let both = try site.credentials("handover", "--file", list, "--user", names[0])
            #expect(both.status == 2, "--user and --file together are refused")
        }
    }

    @Test func parentEnabledAgainUnderOnHandoverIsPendingAgainWithANewLetter() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["activation: on_handover"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            var export = Self.export()
            try site.write(export)
            let rows = try FirstPasswordTests().credentialsRows(try #require(try await site.apply().result.credentialsFile))
            let ian = try #require(rows.first { $0["given_name"] == "Ian" })
            let dn = try #require(ian["dn"])
            #expect(try site.credentials("handover", "--user", try #require(ian["username"])).status == 0)

            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            let revoked = try await site.apply()
            #expect(revoked.plan.changes.contains { $0.action == .disable && $0.dn == dn })
            export.change(contact: "C1") { $0.courtOrder = false }
            try site.write(export)
            let reinstated = try await site.apply()
            let row = try FirstLoginTests.onlyRow(reinstated.result.credentialsFile)
            #expect(row["dn"] == dn)
            let entry = try #require(try await DirectoryInspector(server: server).entries(under: dn, scope: .base).first)
            #expect(entry.string("misAccountStatus") == "pending")
            #expect(try clients.whoami(dn, try #require(row["initial_password"])).accountLocked)
        }
    }
}
