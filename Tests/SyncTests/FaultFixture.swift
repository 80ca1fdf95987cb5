import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

// What the fault tests share: a school of many one-parent families (enough writes that an apply is
// still running when the test breaks the server), a way to set directory keys in a site's config, a
// command-line run the test can signal, and checks that the directory converged.

extension SyncSite {
    /// Adds `lines` (indented YAML keys) to the `directory:` block of the config file.
    func addDirectoryKeys(_ lines: String) throws {
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let indented = lines.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        try Data(text.replacingOccurrences(of: "directory:\n", with: "directory:\n\(indented)\n").utf8)
            .write(to: URL(fileURLWithPath: configPath))
    }

    /// A `SyncRun` of this site's config as `apply` makes it, with quick reconnects.
    func run(now: Date = Date(), edit: (inout Config) -> Void = { _ in }) throws -> SyncRun {
        var config = try config()
        edit(&config)
        var run = SyncRun(config: config, now: now)
        run.backoff = RetryBackoff(base: 0.2, cap: 1)
        return run
    }

    /// The audit log's records.
    func auditRecords() throws -> [AuditRecord] {
        let text = (try? String(contentsOfFile: folder.file("state/audit.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(AuditRecord.self, from: Data($0.utf8)) }
    }
}

enum Families {
    /// A school of `count` families, one parent each, every one entitled to an account.
    static func export(_ count: Int, school: String = "5301234") -> CanonicalExport {
        var export = CanonicalExport(school: school)
        for n in 1...count {
            export.add(
                ExportPupil("P\(n)", upn: "A\(String(format: "%012d", n))", "Child", "Family\(n)"),
                ExportContact("C\(n)", "Parent", "Family\(n)", email: "parent\(n)@example.org"))
        }
        return export
    }

    /// Waits until at least one parent account exists (the apply is under way), polling as the admin.
    static func waitForFirstAccount(_ server: SlapdServer, timeout: Double = 60) async throws -> Int {
        let watcher = try await DirectoryInspector(server: server).connect()
        defer { Task { await watcher.close() } }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let seen = try await watcher.searchAll(SearchRequest(
                base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["1.1"], pageSize: 1000)).count
            if seen > 0 { return seen }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no account appeared within \(timeout) s")
        return 0
    }

    /// The directory converged on `count` families: one account each under the username the first run
    /// gave, none without a stored password, and nothing left in the password journal.
    static func expectConverged(_ server: SlapdServer, _ site: SyncSite, families count: Int, credentials: [CredentialsRow]) async throws {
        let directory = DirectoryInspector(server: server)
        let entries = try await directory.entries(
            under: server.parentsBase, scope: .oneLevel, filter: "(objectClass=misParent)", attributes: ["uid", "misContactRef", "userPassword"])
        #expect(entries.count == count)
        #expect(Set(entries.flatMap { $0.strings("misContactRef") }).count == count, "one account per parent, no duplicate")
        #expect(Set(entries.compactMap { $0.string("uid") }) == Set((1...count).map { "parent.family\($0)" }))
        #expect(entries.filter { $0.strings("userPassword").isEmpty }.map(\.dn) == [], "every account has a password")
        // The latest password given to each account lets it in (a sample: binds cost time).
        var latest: [String: String] = [:]
        for row in credentials { latest[row.dn.lowercased()] = row.initialPassword }
        #expect(latest.count == count, "every account's password is in a credentials file")
        for (dn, password) in latest.sorted(by: { $0.key < $1.key }).prefix(50) {
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await parent.bind(dn: dn, password: Secret(password))
            await parent.close()
        }
        #expect(PendingPasswords(stateDirectory: site.folder.file("state")).leftOver().isEmpty)
    }
}

/// `ldap-sync` started in the background, for tests that signal it mid-run.
final class BackgroundCommand: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()

    init(_ arguments: [String]) throws {
        // Through perl (perl-base, on every Debian) to start with no signal blocked: a child inherits the
        // blocked signals of the test thread that spawns it, SIGTERM among them, and a signal test would
        // then test the test runner's mask rather than ldap-sync.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = ["-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new); exec { $ARGV[0] } @ARGV or die $!",
                             CommandLineRunner.executable.path] + arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var processID: Int32 { process.processIdentifier }

    /// Waits for the end (off the cooperative pool) and returns what `CommandLineRunner` would.
    func finish() async -> CommandLineRun {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let outputData = self.output.fileHandleForReading.readDataToEndOfFile()
                let errorData = self.errors.fileHandleForReading.readDataToEndOfFile()
                self.process.waitUntilExit()
                continuation.resume(returning: CommandLineRun(
                    status: self.process.terminationStatus,
                    standardOutput: String(decoding: outputData, as: UTF8.self),
                    standardError: String(decoding: errorData, as: UTF8.self)))
            }
        }
    }
}
