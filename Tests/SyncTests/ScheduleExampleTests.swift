import Foundation
import Testing

/// The scheduling examples IT copies into /etc: the systemd unit and timer must pass systemd's own
/// checker, and the cron line must be a valid /etc/cron.d line that runs `apply`.
@Suite struct ScheduleExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")
    static let analyzer = "/usr/bin/systemd-analyze"

    /// `systemd-analyze verify` exits 0 even for unknown keys or bad values (it only warns), so any
    /// output at all is a failure. The checker also insists that ExecStart's binary exists: the copy
    /// checked points it at the ldap-sync just built, with the arguments as shipped.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer),
                   "systemd-analyze is not installed (Debian package systemd): the unit is not checked"))
    func systemdUnitAndTimerPassSystemdAnalyzeVerify() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let unit = try String(contentsOf: Self.examples.appendingPathComponent("systemd/ldap-sync.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/ldap-sync apply --config "))
        let built = CommandLineRunner.executable.path
        try Data(unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/ldap-sync", with: "ExecStart=\(built)").utf8)
            .write(to: URL(fileURLWithPath: folder.file("ldap-sync.service")))
        try FileManager.default.copyItem(
            atPath: Self.examples.appendingPathComponent("systemd/ldap-sync.timer").path, toPath: folder.file("ldap-sync.timer"))

        let run = try Self.run(Self.analyzer, ["verify", folder.file("ldap-sync.service"), folder.file("ldap-sync.timer")])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.isEmpty, "systemd-analyze verify found problems:\n\(run.output)")
    }

    @Test func systemdUnitHasTheHardeningTheREADMEPromises() throws {
        let unit = try String(contentsOf: Self.examples.appendingPathComponent("systemd/ldap-sync.service"), encoding: .utf8)
        let settings = Set(unit.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        for line in [
            "User=ldap-sync", "ProtectSystem=strict", "NoNewPrivileges=true", "PrivateTmp=true",
            "ReadWritePaths=/var/lib/ldap-sync/state /var/lib/ldap-sync/credentials",
            "LoadCredential=ldap-sync-bind:/etc/ldap-sync/bind.secret", "SuccessExitStatus=143",
        ] {
            #expect(settings.contains(line), "missing \(line)")
        }
        let timer = try String(contentsOf: Self.examples.appendingPathComponent("systemd/ldap-sync.timer"), encoding: .utf8)
        #expect(timer.contains("OnCalendar=hourly") && timer.contains("Persistent=true"))
    }

    @Test func cronLineRunsApplyAsTheDedicatedUserEveryHour() throws {
        let cron = try String(contentsOf: Self.examples.appendingPathComponent("cron/ldap-sync"), encoding: .utf8)
        let jobs = cron.split(separator: "\n").filter { line in
            guard let first = line.first else { return false }
            return first != "#" && !line.contains("=")
        }
        #expect(jobs.count == 1)
        let fields = String(try #require(jobs.first)).split(separator: " ").map(String.init)
        // m h dom mon dow user command: once an hour, at a fixed minute.
        #expect(fields.count > 7)
        #expect(Int(fields[0]) != nil && fields[1...4].allSatisfy { $0 == "*" })
        #expect(fields[5] == "ldap-sync" && fields[6] == "ldap-sync" && fields[7] == "apply")
        #expect(!cron.contains("LDAP_SYNC_BIND_PASSWORD="), "no secret in a world-readable cron file")
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
