import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

@Suite struct PasswordRepairTests {
    /// The examples' two schools, pointed at the harness server.
    static func exampleSite(_ server: SlapdServer, in folder: TemporaryDirectory) throws -> Config {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        try FileManager.default.copyItem(atPath: examples.appendingPathComponent("exports").path, toPath: folder.file("exports"))
        var yaml = try String(contentsOf: examples.appendingPathComponent("config.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "ldap://127.0.0.1:3389", with: server.ldapURL)
            .replacingOccurrences(of: "cn=ldap-sync,ou=Services,dc=example,dc=org", with: server.syncDN)
        try yaml.write(toFile: folder.file("config.yaml"), atomically: false, encoding: .utf8)
        try server.syncPassword.write(toFile: folder.file("bind.secret"), atomically: false, encoding: .utf8)
        return try ConfigLoader.load(path: folder.file("config.yaml"))
    }

    @Test func anAccountLeftWithoutAPasswordGetsOneOnTheNextApply() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let config = try Self.exampleSite(server, in: folder)
            let connection = try await DirectorySession.open(config)
            let first = try await SyncRun(config: config).apply(connection)
            #expect(first.exitStatus == .success)
            #expect(first.result.credentials.contains { $0.username == "ann.smith" })

            // As if a run had stopped between the add and the password.
            let ann = "uid=ann.smith,\(server.parentsBase)"
            try await connection.modify(ModifyRequest(dn: ann, modifications: [Modification(.delete, "userPassword", values: [])]))

            let second = try await SyncRun(config: config, now: Date().addingTimeInterval(2)).apply(connection)
            #expect(second.exitStatus == .success)
            let row = try #require(second.result.credentials.first { $0.username == "ann.smith" })
            #expect(second.result.credentials.count == 1)
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await parent.bind(dn: ann, password: Secret(row.initialPassword))
        }
    }
}
