import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A parent logs in with the first password from the credentials file using OpenLDAP's own clients, is
/// told to change it, changes it, and logs in with the new one — whichever way the password reached the
/// server; a disabled parent cannot log in; a reinstated one logs in with a reissued password.
@Suite struct FirstLoginTests {
    static let school = "5301234"

    static func export() -> CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C1", "Ian", "Reed", relationship: "Father"))
        return export
    }

    /// The one credentials row of `file`.
    static func onlyRow(_ file: String?) throws -> [String: String] {
        let rows = try FirstPasswordTests().credentialsRows(try #require(file))
        #expect(rows.count == 1)
        return try #require(rows.first)
    }

    @Test(arguments: ["server", "ssha", "crypt-sha512"])
    func createdParentIsToldToChangeTheFirstPasswordChangesItAndLogsInWithTheNewOne(hash: String) async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["password_hash: \(hash)"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            try site.write(Self.export())
            let row = try Self.onlyRow(try await site.apply().result.credentialsFile)
            let dn = try #require(row["dn"])
            let first = try #require(row["initial_password"])

            // Stored hashed, in the scheme asked for (slapd's own default, {SSHA}, for `server`).
            let stored = try #require(try await DirectoryInspector(server: server).entries(
                under: dn, scope: .base, attributes: ["userPassword", "pwdReset"]).first)
            let value = try #require(stored.string("userPassword"))
            #expect(value.hasPrefix(hash == "crypt-sha512" ? "{CRYPT}$6$" : "{SSHA}"), "\(value.prefix(10))")
            #expect(!value.contains(first))
            #expect(stored.string("pwdReset") == "TRUE")

            let login = try clients.whoami(dn, first)
            // The bind succeeds, with the policy's word that the password must be changed first.
            #expect(login.succeeded && login.mustChangePassword, "\(login.output)")
            let change = try clients.changePassword(dn, from: first, to: "a-new-secret-of-mine")
            #expect(change.succeeded, "\(change.output)")
            let again = try clients.whoami(dn, "a-new-secret-of-mine")
            #expect(again.succeeded && !again.mustChangePassword, "\(again.output)")
            #expect(try clients.whoami(dn, first).invalidCredentials)
        }
    }

    @Test(arguments: ["server", "crypt-sha512"])
    func withoutChangeAtFirstLoginTheFirstPasswordJustWorks(hash: String) async throws {
        try await withSlapd { server in
            // The test policy has pwdMustChange: TRUE; the config's word wins over it.
            let site = try SyncSite(server: server, accounts: ["password_hash: \(hash)", "change_at_first_login: false"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            try site.write(Self.export())
            let row = try Self.onlyRow(try await site.apply().result.credentialsFile)
            let dn = try #require(row["dn"])
            let stored = try #require(try await DirectoryInspector(server: server).entries(under: dn, scope: .base, attributes: ["pwdReset"]).first)
            #expect(stored.string("pwdReset") == nil)
            let login = try clients.whoami(dn, try #require(row["initial_password"]))
            #expect(login.succeeded && !login.mustChangePassword, "\(login.output)")
        }
    }

    @Test func disabledParentCannotLogInAndReinstatedParentLogsInWithAReissuedPassword() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["password_hash: crypt-sha512"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            var export = Self.export()
            try site.write(export)
            let row = try Self.onlyRow(try await site.apply().result.credentialsFile)
            let dn = try #require(row["dn"])
            let first = try #require(row["initial_password"])
            #expect(try clients.changePassword(dn, from: first, to: "chosen-by-ian").succeeded)

            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            let revoked = try await site.apply()
            #expect(revoked.result.credentialsFile == nil, "a disable issues no password")
            let refused = try clients.whoami(dn, "chosen-by-ian")
            #expect(refused.invalidCredentials && refused.accountLocked, "\(refused.output)")

            export.change(contact: "C1") { $0.courtOrder = false }
            try site.write(export)
            let reinstated = try await site.apply()
            #expect(reinstated.exitStatus == .success, "\(reinstated.result.failures.map { "\($0.dn): \($0.error)" })")
            #expect(reinstated.plan.changes.contains { $0.action == .enable && $0.dn == dn })
            let reissued = try Self.onlyRow(reinstated.result.credentialsFile)
            #expect(reissued["dn"] == dn && reissued["children"] == "\(Self.school)/P1")
            let password = try #require(reissued["initial_password"])
            #expect(password != first)
            #expect(try clients.whoami(dn, "chosen-by-ian").invalidCredentials, "the old password no longer opens the account")
            let login = try clients.whoami(dn, password)
            #expect(login.mustChangePassword, "\(login.output)")
            #expect(FileManager.default.fileExists(atPath: try #require(reinstated.result.lettersFile)))
        }
    }

    @Test func withoutReissueOnEnableAReinstatedParentKeepsTheirPassword() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["reissue_on_enable: false", "change_at_first_login: false"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            var export = Self.export()
            try site.write(export)
            let row = try Self.onlyRow(try await site.apply().result.credentialsFile)
            let dn = try #require(row["dn"])
            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            try await site.apply()
            export.change(contact: "C1") { $0.courtOrder = false }
            try site.write(export)
            let reinstated = try await site.apply()
            #expect(reinstated.result.credentialsFile == nil)
            #expect(try clients.whoami(dn, try #require(row["initial_password"])).succeeded)
        }
    }

    @Test func reissueGivesOneParentANewPasswordAndLetterAndRefusesADisabledAccount() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, accounts: ["password_hash: ssha"])
            let clients = try OpenLDAPClients(server: server)
            defer { site.remove(); clients.remove() }
            var export = Self.export()
            export.add(ExportPupil("P2", upn: "A600000000002", "Ava", "Shah"), ExportContact("C2", "Nina", "Shah"))
            try site.write(export)
            let rows = try FirstPasswordTests().credentialsRows(try #require(try await site.apply().result.credentialsFile))
            let ian = try #require(rows.first { $0["given_name"] == "Ian" })
            let dn = try #require(ian["dn"])
            let username = try #require(ian["username"])

            let reissue = try site.credentials("reissue", "--user", username)
            #expect(reissue.status == 0, "\(reissue.standardError)")
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials"))
                .first { $0.hasSuffix("-reissue.csv") })
            let row = try Self.onlyRow(site.folder.file("credentials/\(file)"))
            #expect(row["dn"] == dn)
            let password = try #require(row["initial_password"])
            #expect(!reissue.standardOutput.contains(password) && !reissue.standardError.contains(password))
            #expect(try clients.whoami(dn, try #require(ian["initial_password"])).invalidCredentials)
            #expect(try clients.whoami(dn, password).mustChangePassword)
            let letters = try String(contentsOfFile: site.folder.file("credentials/\(file.replacingOccurrences(of: ".csv", with: ".html"))"), encoding: .utf8)
            #expect(letters.contains(password) && letters.contains("Tom Reed"))

            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            try await site.apply()
            let refused = try site.credentials("reissue", "--user", username)
            #expect(refused.status == 2)
            #expect(refused.standardError.contains("disabled") && refused.standardError.contains("court-order"), "\(refused.standardError)")
            let unknown = try site.credentials("reissue", "--user", "no.such.parent")
            #expect(unknown.status == 2 && unknown.standardError.contains("no parent account"))
        }
    }
}
