import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// Every new account gets a first password that works, that only the credentials file knows, and that
/// the server stores hashed.
@Suite struct FirstPasswordTests {
    @Test func everyCreatedAccountBindsWithItsFirstPasswordWhichIsStoredHashedInAPrivateFile() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed", email: "ann@example.org"))
            export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C2", "Ian", "Reed", relationship: "Father"))
            export.add(ExportPupil("P2", upn: "A600000000002", "Zoë", "Núñez"), ExportContact("C3", "Zoë", "Núñez"))
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success)

            let file = try #require(outcome.result.credentialsFile)
            #expect(try permissions(of: file) == 0o600)
            #expect(try permissions(of: (file as NSString).deletingLastPathComponent) == 0o700)
            let rows = try credentialsRows(file)
            #expect(rows.count == 3)

            // The audit log has each account's write, and no password.
            let audit = try String(contentsOfFile: (try site.config().stateDir as NSString).appendingPathComponent("audit.jsonl"), encoding: .utf8)
            let writes = try audit.split(separator: "\n").map { try JSONDecoder().decode(AuditRecord.self, from: Data($0.utf8)) }
                .filter { $0.event == "write" && $0.action == "create" }
            #expect(Set(writes.compactMap(\.dn)) == Set(rows.compactMap { $0["dn"] }))
            #expect(writes.allSatisfy { $0.result == "ok" })

            let directory = DirectoryInspector(server: server)
            for row in rows {
                #expect(!audit.contains(row["initial_password"] ?? "?"), "no password in the audit log")
                let dn = try #require(row["dn"])
                let password = try #require(row["initial_password"])
                #expect(password.count >= 10)
                #expect(try await bindSucceeds(server, dn, Secret(password)), "\(dn) binds with its first password")

                let stored = try #require(try await directory.entries(under: dn, scope: .base, attributes: ["userPassword"]).first)
                let hash = try #require(stored.strings("userPassword").first)
                #expect(hash.range(of: #"^\{[A-Z0-9.-]+\}"#, options: .regularExpression) != nil, "\(dn): not hashed")
                #expect(!hash.contains(password))
            }
        }
    }

    @Test func parentRevokedByACourtOrderCannotBindWithTheRightPassword() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C1", "Ian", "Reed", relationship: "Father"))
            try site.write(export)
            let file = try #require(try await site.apply().result.credentialsFile)
            let row = try #require(try credentialsRows(file).first)
            let dn = try #require(row["dn"])
            let password = Secret(try #require(row["initial_password"]))
            #expect(try await bindSucceeds(server, dn, password))

            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await !bindSucceeds(server, dn, password), "a disabled account is locked")
        }
    }

    func bindSucceeds(_ server: SlapdServer, _ dn: String, _ password: Secret) async throws -> Bool {
        let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
        do {
            try await connection.bind(dn: dn, password: password)
            await connection.close()
            return true
        } catch let error as LDAPError where error.code == .invalidCredentials {
            await connection.close()
            return false
        }
    }

    /// The CSV's rows as column → value.
    func credentialsRows(_ path: String) throws -> [[String: String]] {
        let records = csvRecords(try String(contentsOfFile: path, encoding: .utf8))
        let header = try #require(records.first)
        #expect(Array(header.prefix(CredentialsWriter.columns.count)) == CredentialsWriter.columns)
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// The records of a CSV whose quoted fields hold commas but no quotes or line breaks (DNs, here).
    func csvRecords(_ text: String) -> [[String]] {
        text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { line in
            var fields: [String] = []
            var field = ""
            var quoted = false
            for character in line {
                if character == "\"" {
                    quoted.toggle()
                } else if character == ",", !quoted {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(character)
                }
            }
            return fields + [field]
        }
    }

    func permissions(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
