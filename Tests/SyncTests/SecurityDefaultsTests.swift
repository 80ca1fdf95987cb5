import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// DESIGN.md Part A, "Secrets stay secret", and issue 10 item 9: the defaults a school gets without
/// reading the manual.
@Suite struct SecurityDefaultsTests {
    // MARK: Transport

    @Test func plainLDAPToAnotherHostIsRefusedUnlessTheConfigAcceptsItByName() throws {
        var settings = DirectoryConfig(url: "ldap://ldap.school.example:389", parentsBase: "ou=Parents,dc=example,dc=org")
        #expect { try DirectorySession.checkTransport(settings) } throws: {
            ($0 as? DirectorySettingsError)?.description.contains("in the clear") == true && ($0 as? DirectorySettingsError)?.exitStatus == .inputError
        }
        settings.startTLS = true
        try DirectorySession.checkTransport(settings)
        settings.startTLS = false
        settings.allowInsecure = true
        try DirectorySession.checkTransport(settings)
        for url in ["ldap://127.0.0.1:3389", "ldap://localhost", "ldap://[::1]:389", "ldaps://ldap.school.example", "ldapi://%2Frun%2Fslapd%2Fldapi"] {
            try DirectorySession.checkTransport(DirectoryConfig(url: url, parentsBase: "ou=P"))
        }
    }

    /// `tls_verify: false` is for a named test server: loopback, `localhost`, or a name RFC 6761 keeps
    /// for tests (`*.test`, `*.localhost`). A school's real server needs its CA in `ca_file`.
    @Test func tlsVerifyFalseOnlyForATestServer() throws {
        for url in ["ldaps://ldap.school.example", "ldap://10.0.0.5", "ldaps://test.example.org:636"] {
            var settings = DirectoryConfig(url: url, parentsBase: "ou=P")
            settings.tlsVerify = false
            settings.startTLS = url.hasPrefix("ldap://")
            #expect(throws: DirectorySettingsError.self, "\(url)") { try DirectorySession.checkTransport(settings) }
        }
        for url in ["ldaps://127.0.0.1:636", "ldaps://localhost", "ldaps://ldap.test", "ldaps://dc1.school.localhost:636", "ldapi://"] {
            var settings = DirectoryConfig(url: url, parentsBase: "ou=P")
            settings.tlsVerify = false
            try DirectorySession.checkTransport(settings)
        }
        #expect(DirectoryConfig(url: "ldaps://x", parentsBase: "ou=P").tlsVerify, "verification is the default")
    }

    @Test func certificatesAreVerifiedForLDAPSAndStartTLSThroughTheConfig() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            let ldaps = try #require(server.ldapsURL)
            for (url, startTLS) in [(ldaps, false), (server.ldapURL, true)] {
                var config = try Self.config(server, url: url)
                config.directory.startTLS = startTLS
                config.directory.caFile = server.caFile
                let password = ["LDAP_SYNC_BIND_PASSWORD": server.syncPassword]
                await (try DirectorySession.open(config, environment: password)).close()

                config.directory.caFile = server.untrustedCAFile
                await #expect(throws: DirectoryUnavailable.self, "\(url) with a CA that did not sign the certificate") {
                    _ = try await DirectorySession.open(config, environment: password)
                }
                // The named test server (loopback) may switch verification off, in words.
                config.directory.tlsVerify = false
                await (try DirectorySession.open(config, environment: password)).close()
            }
        }
    }

    // MARK: The bind password

    @Test func bindPasswordComesFromAFileTheEnvironmentOrSystemdCredentials() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            var config = try Self.config(server, url: server.ldapURL)

            try Self.writePrivate(folder.file("bind.secret"), server.syncPassword + "\n")
            config.directory.bindPasswordFile = folder.file("bind.secret")
            await (try DirectorySession.open(config, environment: [:])).close()

            config.directory.bindPasswordFile = nil
            await (try DirectorySession.open(config, environment: ["LDAP_SYNC_BIND_PASSWORD": server.syncPassword])).close()

            try FileManager.default.createDirectory(atPath: folder.file("creds"), withIntermediateDirectories: true)
            try Self.writePrivate(folder.file("creds/ldap-sync-bind"), server.syncPassword)
            await (try DirectorySession.open(config, environment: ["CREDENTIALS_DIRECTORY": folder.file("creds")])).close()

            await #expect { _ = try await DirectorySession.open(config, environment: [:]) } throws: {
                ($0 as? DirectorySettingsError)?.description.contains("no bind password was found") == true
            }
        }
    }

    @Test func passwordFileReadableByOthersIsWarnedAbout() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A120000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
            try site.write(export)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: site.folder.file("bind.secret"))
            let open = try site.cli("plan")
            #expect(open.status == 0, "\(open.standardError)")
            #expect(open.standardError.contains("the bind password file can be read by its group or by others: chmod 600 it"))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: site.folder.file("bind.secret"))
            #expect(!(try site.cli("plan")).standardError.contains("chmod 600"))
        }
    }

    @Test func noCommandTakesAPasswordOnTheCommandLine() throws {
        for command in ["plan", "apply", "dedupe", "check", "schema", "undo"] {
            let help = try CommandLineRunner.run([command, "--help"])
            #expect(!help.standardOutput.lowercased().contains("password"), "\(command) --help:\n\(help.standardOutput)")
        }
    }

    // MARK: Secrets never written

    /// The bind password and every first password a run made: in none of stdout, stderr at trace level
    /// (text and JSON), the reports in every format, the audit log, the state, the metrics or the
    /// notification. Only the credentials file (0600) holds the first passwords.
    @Test func secretsAreNeverInLogsReportsAuditLogMetricsOrNotifications() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A120000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"), ExportContact("C2", "Bo", "Reed", relationship: "Father"))
            export.add(ExportPupil("P2", upn: "A120000000002", "Ida", "Cole"), ExportContact("C3", "Kim", "Cole"))
            try site.write(export)
            try Self.append(site, "metrics_file: ldap-sync.prom\nnotify_command: notify.sh\n")
            try Data("#!/bin/sh\ncat > \"$(dirname \"$0\")/notice.json\"\n".utf8).write(to: URL(fileURLWithPath: site.folder.file("notify.sh")))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.folder.file("notify.sh"))

            var outputs: [String] = []
            let apply = try site.cli("apply", "--log-level", "trace")
            #expect(apply.status == 0, "\(apply.standardError)")
            outputs += [apply.standardOutput, apply.standardError]
            // Run 2 revokes a link, so the notification is sent; then plans in every format, at trace.
            export.change(contact: "C2") { $0.courtOrder = true }
            try site.write(export)
            let second = try site.cli("apply", "--log-level", "trace", "--log-format", "json")
            outputs += [second.standardOutput, second.standardError]
            for format in ["text", "json", "csv", "html", "ldif"] {
                let plan = try site.cli("plan", "--log-level", "trace", "--format", format)
                outputs += [plan.standardOutput, plan.standardError]
            }
            let auditLog = try String(contentsOfFile: site.folder.file("state/audit.jsonl"), encoding: .utf8)
            let runID = try #require(AuditLog.read(stateDirectory: site.folder.file("state")).first?.run)
            let undo = try site.cli("undo", "--run", runID)
            outputs += [undo.standardOutput, undo.standardError, auditLog]
            // Every file of the state folder, the binary copy of the directory (`directory-cache`) too: its
            // bytes, read as text where they are text.
            for file in try FileManager.default.contentsOfDirectory(atPath: site.folder.file("state")) {
                outputs.append(String(decoding: try Data(contentsOf: URL(fileURLWithPath: site.folder.file("state/\(file)"))), as: UTF8.self))
            }
            #expect(FileManager.default.fileExists(atPath: site.folder.file("state/directory-cache")))
            outputs.append(try String(contentsOfFile: site.folder.file("ldap-sync.prom"), encoding: .utf8))
            outputs.append(try String(contentsOfFile: site.folder.file("notice.json"), encoding: .utf8))

            let firstPasswords = try Self.firstPasswords(in: site.folder.file("credentials"))
            #expect(firstPasswords.count == 3)
            #expect(auditLog.contains("\"event\":\"write\""), "the audit log was read")
            for secret in firstPasswords + [server.syncPassword] {
                for (index, text) in outputs.enumerated() {
                    #expect(!text.contains(secret), "a secret in output \(index)")
                }
            }
        }
    }

    // MARK: Helpers

    static func config(_ server: SlapdServer, url: String) throws -> Config {
        var directory = DirectoryConfig(url: url, parentsBase: server.parentsBase)
        directory.bindDN = server.syncDN
        directory.timeouts.connect = 5
        return Config(file: "test.yaml", directory: directory, sources: [], accounts: AccountsConfig(credentialsDir: "/nonexistent"), stateDir: "/nonexistent")
    }

    static func writePrivate(_ path: String, _ text: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    static func append(_ site: SyncSite, _ text: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: site.configPath))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    /// The `initial_password` column of every credentials CSV.
    static func firstPasswords(in folder: String) throws -> [String] {
        var passwords: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".csv") {
            let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
            let records = FirstPasswordTests().csvRecords(text)
            let column = try #require(records.first?.firstIndex(of: "initial_password"))
            for values in records.dropFirst() where values.count > column && !values[column].isEmpty {
                passwords.append(values[column])
            }
        }
        return passwords
    }
}
