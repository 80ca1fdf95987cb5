import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// examples/apache/parents.conf, as written, in front of a test slapd with schema/README.md's access
/// rules: Apache (Debian's apache2, a client we did not write) started in the foreground on a loopback
/// port, asked with curl.
@Suite struct ApacheExampleTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A100000000001", "Tom", "Smith")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")

    static var export: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        return export
    }

    @Test func activeParentGets200WrongPassword401CourtOrder401AndEnabledAgain200() async throws {
        let options = SlapdOptions(extraLDIF: DoctorTests.vleReaderLDIF, accessRules: try DoctorTests.readmeAccessRules())
        try await withSlapd(options) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let first = try await site.apply()
            let annRow = try #require(first.result.credentials.first { $0.username == "ann.smith" })

            let apache = try ApacheServer(ldapURL: server.ldapURL, readerPassword: "reader-secret")
            do {
                try await apache.waitUntilReady()
                try await Self.scenario(site: site, server: server, apache: apache, first: first, annRow: annRow)
                await apache.stop()
            } catch {
                await apache.stop()
                throw error
            }
        }
    }

    /// The requests, in order, against a running Apache.
    static func scenario(site: SyncSite, server: SlapdServer, apache: ApacheServer, first: ApplyOutcome, annRow: CredentialsRow) async throws {
        #expect(try apache.status(user: "ann.smith", password: annRow.initialPassword) == 200)
        #expect(try apache.status(user: "ann.smith", password: annRow.initialPassword + "x") == 401)
        #expect(try apache.status(user: nil, password: nil) == 401)

        // The court order: the next apply disables Ann (Tom was her only child), and the very next
        // request is refused.
        var ordered = Self.export
        ordered.change(contact: "C1") { $0.courtOrder = true }
        try site.write(ordered)
        #expect(try await site.apply().exitStatus == .success)
        #expect(try apache.status(user: "ann.smith", password: annRow.initialPassword) == 401)
        #expect(try apache.status(user: "david.smith", password: try #require(first.result.credentials.first { $0.username == "david.smith" }).initialPassword) == 200)

        // The order is lifted: enabled again, and (accounts.reissue_on_enable, the default) with a new
        // first password in the credentials file, so the old one never opens the account again.
        try site.write(Self.export)
        let enabled = try await site.apply()
        #expect(enabled.plan.summary.enable == 1)
        let newPassword = try #require(enabled.result.credentials.first { $0.username == "ann.smith" }).initialPassword
        #expect(try apache.status(user: "ann.smith", password: newPassword) == 200)
        #expect(try apache.status(user: "ann.smith", password: annRow.initialPassword) == 401)
    }
}

/// Apache run by the test: its own config in a temporary folder (PidFile, ErrorLog, runtime files),
/// examples/apache/parents.conf included with the test's directory URL and paths put in, listening on a
/// free loopback port, in the foreground (`-DFOREGROUND`), stopped with SIGTERM.
final class ApacheServer: @unchecked Sendable {
    static let binary = "/usr/sbin/apache2"
    static let modules = "/usr/lib/apache2/modules"

    let folder: TemporaryDirectory
    let port: Int
    let daemon: Daemon

    init(ldapURL: String, readerPassword: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw ApacheTestError("\(Self.binary) is missing: install Debian's apache2 (.ci/run lists it)")
        }
        folder = try TemporaryDirectory()
        port = try FreePort.loopback(count: 1)[0]
        // Apache drops to `User` when started as root: the pages and the folder must be readable to it.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let www = folder.file("www")
        try FileManager.default.createDirectory(atPath: www, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryFile("examples/apache/www/index.html"), toPath: (www as NSString).appendingPathComponent("index.html"))
        try Data("\(readerPassword)\n".utf8).write(to: URL(fileURLWithPath: folder.file("vle-reader.secret")))

        // The example as shipped, with only what differs in a test put in: the test slapd (plain ldap on
        // loopback, so no CA), and the paths of this folder.
        var example = try String(contentsOfFile: repositoryFile("examples/apache/parents.conf"), encoding: .utf8)
        example = example.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("LDAPTrustedGlobalCert") }.joined(separator: "\n")
        for (shipped, here) in [
            ("ldaps://ldap.example.sch", ldapURL), ("/var/www/parents", www),
            ("/etc/apache2/vle-reader.secret", folder.file("vle-reader.secret")),
        ] {
            guard example.contains(shipped) else { throw ApacheTestError("examples/apache/parents.conf no longer contains \(shipped)") }
            example = example.replacingOccurrences(of: shipped, with: here)
        }
        try Data(example.utf8).write(to: URL(fileURLWithPath: folder.file("parents.conf")))
        let loads = ["mpm_prefork", "authn_core", "authz_core", "auth_basic", "ldap", "authnz_ldap", "alias"]
            .map { "LoadModule \($0)_module \(Self.modules)/mod_\($0).so" }.joined(separator: "\n")
        let main = """
            ServerRoot "\(folder.path)"
            ServerName 127.0.0.1
            Listen 127.0.0.1:\(port)
            PidFile "\(folder.file("apache.pid"))"
            ErrorLog "\(folder.file("error.log"))"
            LogLevel warn authnz_ldap:debug
            DefaultRuntimeDir "\(folder.path)"
            \(loads)
            \(getuid() == 0 ? "User nobody\nGroup nogroup" : "")
            Include "\(folder.file("parents.conf"))"

            """
        try Data(main.utf8).write(to: URL(fileURLWithPath: folder.file("httpd.conf")))
        daemon = try Daemon(
            executable: Self.binary, arguments: ["-f", folder.file("httpd.conf"), "-d", folder.path, "-DFOREGROUND"],
            logFile: folder.file("stderr.log"), watchdogPIDFile: folder.file("watchdog.pid"))
    }

    /// Waits until Apache answers on its port.
    func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard daemon.isRunning else { throw ApacheTestError("apache2 exited: \(errorLog)") }
            if (try? status(user: nil, password: nil)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ApacheTestError("apache2 did not answer within 20 s: \(errorLog)")
    }

    /// The HTTP status of GET /parents/index.html, with Basic credentials when given; the credentials go
    /// to curl in a config file, not on its command line.
    func status(user: String?, password: String?) throws -> Int {
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"]
        if let user, let password {
            let config = folder.file("curl-\(UUID().uuidString).conf")
            try Data("user = \"\(user):\(password)\"\n".utf8).write(to: URL(fileURLWithPath: config))
            arguments += ["-K", config]
        }
        arguments.append("http://127.0.0.1:\(port)/parents/index.html")
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = arguments
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        guard curl.terminationStatus == 0, let code = Int(String(decoding: data, as: UTF8.self)), code != 0 else {
            throw ApacheTestError("curl failed (exit \(curl.terminationStatus))")
        }
        return code
    }

    var errorLog: String { (try? String(contentsOfFile: folder.file("error.log"), encoding: .utf8)) ?? "(no error log)" }

    /// Stops Apache (SIGTERM: its children end with it) and removes the folder.
    func stop() async {
        await daemon.stop()
        folder.remove()
    }
}

struct ApacheTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
