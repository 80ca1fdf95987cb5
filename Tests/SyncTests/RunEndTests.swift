import Foundation
import SlapdHarness
import Reconcile
import Testing

@testable import Sync

/// The end of every apply, however it went: the summary line on stderr, the metrics file for
/// node_exporter, and `notify_command` with the JSON summary on stdin.
@Suite struct RunEndTests {
    @Test func metricsFileIsWrittenAfterASuccessfulAndAFailedRunWithTheLastSuccessKept() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server, extraConfig: "metrics_file: metrics/ldap-sync.prom\n")
            defer { site.remove() }
            try FileManager.default.createDirectory(atPath: site.folder.file("metrics"), withIntermediateDirectories: true)

            let first = try site.cli("apply")
            #expect(first.status == 0, "\(first.standardError)")
            let good = try Self.metrics(site.folder.file("metrics/ldap-sync.prom"))
            #expect(good["ldap_sync_exit_code"] == 0)
            #expect(good["ldap_sync_changes{action=\"create\"}"] == 1)
            #expect(good["ldap_sync_changes{action=\"disable\"}"] == 0)
            #expect(good["ldap_sync_held{gate=\"max-disable\"}"] == 0)
            #expect(good["ldap_sync_write_failures"] == 0)
            #expect(good["ldap_sync_source_records{school=\"5301234\"}"] == 1)
            #expect(good["ldap_sync_vle_calls_owed"] == 0)
            #expect((good["ldap_sync_duration_seconds"] ?? -1) >= 0)
            let lastSuccess = try #require(good["ldap_sync_last_success_timestamp_seconds"])
            #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 120)
            // The summary line: counts per action, held, failed, duration, exit code, and the run id.
            let summary = try #require(first.standardError.split(separator: "\n").first { $0.contains("ldap-sync apply ") })
            #expect(summary.contains("create 1, update 0, link 0, unlink 0, disable 0, enable 0, delete 0"))
            #expect(summary.contains("held 0, failed 0") && summary.contains(" s, exit 0"))

            // Bind refused: exit 4, nothing written, and the metrics say so with the last success kept.
            try Data("wrong\n".utf8).write(to: URL(fileURLWithPath: site.folder.file("bind.secret")))
            let failed = try site.cli("apply")
            #expect(failed.status == 4)
            let bad = try Self.metrics(site.folder.file("metrics/ldap-sync.prom"))
            #expect(bad["ldap_sync_exit_code"] == 4)
            #expect(bad["ldap_sync_changes{action=\"create\"}"] == 0)
            #expect(bad["ldap_sync_last_success_timestamp_seconds"] == lastSuccess)
            #expect(failed.standardError.contains("held 0, failed 0") && failed.standardError.contains("exit 4"))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.folder.file("metrics"))
            #expect(leftovers == ["ldap-sync.prom"], "no temporary file left behind")
        }
    }

    @Test func summaryLineEndsEveryRunAlsoAConfigErrorAndALockedRun() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server, extraConfig: "metrics_file: ldap-sync.prom\n")
            defer { site.remove() }
            let lock = try RunLock.acquire(stateDirectory: site.folder.file("state"))
            let locked = try site.cli("apply")
            withExtendedLifetime(lock) {}
            #expect(locked.status == 5)
            #expect(locked.standardError.contains("exit 5"))
            #expect(try Self.metrics(site.folder.file("ldap-sync.prom"))["ldap_sync_exit_code"] == 5)

            let broken = try CommandLineRunner.run(["plan", "--config", site.folder.file("missing.yaml")])
            #expect(broken.status == 2)
            #expect(broken.standardError.split(separator: "\n").last?.contains("ldap-sync plan ") == true)
            #expect(broken.standardError.contains("exit 2"))
        }
    }

    @Test func jsonLogsAreOneObjectPerLineWithTheSummaryAsFields() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server)
            defer { site.remove() }
            let run = try site.cli("apply", "--log-format", "json", "--log-level", "debug")
            #expect(run.status == 0)
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count >= 3)
            var summary: [String: Any]?
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(object["time"] is String && object["level"] is String && object["message"] is String)
                if object["event"] as? String == "run-summary" { summary = object }
            }
            let fields = try #require(summary)
            #expect(fields["create"] as? Int == 1 && fields["exit_code"] as? Int == 0 && fields["command"] as? String == "apply")
            #expect((fields["run"] as? String)?.isEmpty == false)
        }
    }

    @Test func logLevelWarningHidesInfoLines() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server)
            defer { site.remove() }
            try Self.protect(site)
            let run = try site.cli("plan", "--log-level", "warning")
            #expect(run.status == 0)
            #expect(run.standardError.isEmpty, "\(run.standardError)")
        }
    }

    @Test func notifyCommandGetsTheJSONSummaryOnStdinAfterARevocation() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server, extraConfig: "notify_command: notify.sh\n")
            defer { site.remove() }
            try Self.writeScript(site.folder.file("notify.sh"), """
                #!/bin/sh
                cat > "$(dirname "$0")/notice.json"
                env > "$(dirname "$0")/notice.env"
                echo "$@" > "$(dirname "$0")/notice.args"
                """)
            #expect(try site.cli("apply").status == 0)
            #expect(!FileManager.default.fileExists(atPath: site.folder.file("notice.json")), "a quiet run tells nobody")

            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A120000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed", courtOrder: true))
            try site.write(export)
            let run = try CommandLineRunner.run(
                ["apply", "--config", site.configPath], environment: ["LDAP_SYNC_BIND_PASSWORD": "env-secret-not-used"])
            #expect(run.status == 0, "\(run.standardError)")
            let data = try Data(contentsOf: URL(fileURLWithPath: site.folder.file("notice.json")))
            let notice = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(notice["exit_code"] as? Int == 0)
            #expect((notice["run_id"] as? String)?.isEmpty == false)
            let revocations = try #require(notice["revocations"] as? [[String: Any]])
            #expect(revocations.contains { ($0["reasons"] as? [String])?.contains("court-order") == true && $0["pupil"] as? String == "5301234/P1" })
            let environment = try String(contentsOfFile: site.folder.file("notice.env"), encoding: .utf8)
            #expect(!environment.contains("LDAP_SYNC_BIND_PASSWORD"), "the notify program gets no password")
            #expect(environment.contains("LDAP_SYNC_EXIT_CODE=0"))
            #expect(try String(contentsOfFile: site.folder.file("notice.args"), encoding: .utf8) == "\n", "nothing in argv")
        }
    }

    @Test func failingNotifyCommandIsLoggedAndDoesNotChangeTheExitCode() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server, extraConfig: "notify_command: notify.sh\n")
            defer { site.remove() }
            try Self.writeScript(site.folder.file("notify.sh"), "#!/bin/sh\ncat >/dev/null\nexit 3\n")
            // Bind refused: a run that could not write at all is worth telling too.
            try Data("wrong\n".utf8).write(to: URL(fileURLWithPath: site.folder.file("bind.secret")))
            let run = try site.cli("apply")
            #expect(run.status == 4)
            #expect(run.standardError.contains("notify_command failed"))
            #expect(run.standardError.contains("exited 3"))
        }
    }

    @Test func whoIsToldRevocationsHoldsFailuresAndRunsThatCouldNotWriteButNotAFoundLock() {
        let quiet = RunSummary(command: "apply", runID: "r", startedAt: Date(), exitCode: 0)
        #expect(!quiet.needsTelling)
        for code in [ExitStatus.inputError, .directoryUnavailable, .stalePlan, .writesFailed, .held] {
            #expect(RunSummary(command: "apply", runID: "r", startedAt: Date(), exitCode: code.rawValue).needsTelling, "\(code)")
        }
        #expect(!RunSummary(command: "apply", runID: "r", startedAt: Date(), exitCode: ExitStatus.locked.rawValue).needsTelling)
        var revoked = quiet
        revoked.revocations = [Change(action: .unlink, dn: "uid=a,ou=P", parentID: "p", reasons: [.eligibility(.courtOrder)], pupil: "1/P1", schools: ["1"], cause: .revocation, modifications: [])]
        #expect(revoked.needsTelling)
    }

    /// On a pipe (cron, systemd, CI) there is no progress line; under a terminal (`script` gives the
    /// command a pseudo-terminal) there is one, redrawn with `\r`.
    @Test func progressLineOnlyOnATerminal() async throws {
        try await withSlapd { server in
            let site = try oneFamilySite(server)
            defer { site.remove() }
            try Self.protect(site)
            let piped = try site.cli("apply")
            #expect(piped.status == 0)
            #expect(!piped.standardError.contains("\r") && !piped.standardError.contains("reading sources"))

            let script = "/usr/bin/script"
            guard FileManager.default.isExecutableFile(atPath: script) else { return }
            let command = [CommandLineRunner.executable.path, "plan", "--config", site.configPath, "--output", "/dev/null"]
                .map { "'\($0)'" }.joined(separator: " ")
            let terminal = try CommandLineRunner.run(at: script, ["-qec", command, "/dev/null"])
            #expect(terminal.status == 0, "\(terminal.standardOutput)")
            #expect(terminal.standardOutput.contains("\rreading sources: 1/1 files (100%)"))
            #expect(terminal.standardOutput.contains("\rreading the directory: "))
        }
    }

    // MARK: - Helpers

    func oneFamilySite(_ server: SlapdServer, extraConfig: String = "") throws -> SyncSite {
        let site = try SyncSite(server: server)
        var export = CanonicalExport(school: "5301234")
        export.add(ExportPupil("P1", upn: "A120000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
        try site.write(export)
        if !extraConfig.isEmpty {
            let handle = try #require(FileHandle(forWritingAtPath: site.configPath))
            handle.seekToEndOfFile()
            handle.write(Data(extraConfig.utf8))
            try handle.close()
        }
        return site
    }

    /// The bind password file made private, so the run has no warning to give.
    static func protect(_ site: SyncSite) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: site.folder.file("bind.secret"))
    }

    static func writeScript(_ path: String, _ text: String) throws {
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// The samples of a Prometheus text file, `name{labels}` → value; fails on a line that is not a
    /// comment or a well-formed sample.
    static func metrics(_ path: String) throws -> [String: Double] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var samples: [String: Double] = [:]
        var typed = Set<String>()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && parts[3] == "gauge", "\(line)")
                typed.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("# HELP ") { continue }
            let parts = line.split(separator: " ")
            let value = try #require(parts.count == 2 ? Double(parts[1]) : nil, "not a sample: \(line)")
            let name = String(parts[0].prefix { $0 != "{" })
            #expect(name.allSatisfy { $0.isLetter || $0 == "_" }, "\(line)")
            #expect(typed.contains(name), "sample before its TYPE line: \(line)")
            samples[String(parts[0])] = value
        }
        return samples
    }
}
