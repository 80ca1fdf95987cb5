import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// systemd stops the unit (SIGTERM) in the middle of an apply: the run finishes the writes in flight,
/// writes the audit log and its summary, and exits 143; the next run makes the rest.
@Suite struct SignalStopTests {
    @Test func sigtermDuringApplyFinishesTheWritesInFlightWritesTheAuditLogAndExits143() async throws {
        try await withSlapd(SlapdOptions(fsync: true, logOperations: false)) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let families = 1_200
            try site.write(Families.export(families))
            let apply = try BackgroundCommand(["apply", "--config", site.configPath])
            // Watch for the credentials file, made ready just before the first round of accounts is sent,
            // then hold the server still and send the signal, so that the apply is certainly mid-write;
            // its writes in flight finish once the server goes on. All of it on a thread of its own: the
            // test runs on the two-thread cooperative pool, which other tests block (waiting for their
            // subprocesses) for seconds, long enough for the whole apply to end before a pooled task ran.
            let credentials = site.folder.file("credentials")
            let (pid, slapd) = (apply.processID, server.processID)
            let signalState: String = await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    let deadline = Date().addingTimeInterval(60)
                    while Date() < deadline,
                        ((try? FileManager.default.contentsOfDirectory(atPath: credentials)) ?? []).allSatisfy({ !$0.hasSuffix(".csv") }) {
                        usleep(1_000)
                    }
                    kill(slapd, SIGSTOP)
                    // What the process does with signals, for the message if the stop is not seen.
                    let state = ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "(no process)")
                        .split(separator: "\n").filter { $0.hasPrefix("Sig") || $0.hasPrefix("Name") }.joined(separator: "; ")
                    kill(pid, SIGTERM)
                    usleep(300_000)
                    kill(slapd, SIGCONT)
                    continuation.resume(returning: state)
                }
            }
            let stopped = await apply.finish()

            let audit = try site.auditRecords()
            let end = try #require(audit.last)
            #expect(end.event == "run-end")
            #expect(stopped.status == 143, "\(signalState)")
            #expect(stopped.standardError.contains("stopped by signal 15 after the writes in flight"), "\(stopped.standardError)")
            #expect(stopped.standardOutput.contains("exit 143"), "the summary line is still printed: \(stopped.standardOutput)")
            #expect(end.result == "exit 143")
            #expect((end.message ?? "").contains("stopped by signal 15"))

            // Every account the stopped run made has its password in the credentials file.
            let made = try await DirectoryInspector(server: server).parentsByContact("5301234")
            #expect(made.count < families, "the signal came after the last round: nothing was stopped")
            let rows = try credentialRows(site)
            for entry in made.values {
                #expect(rows.contains { $0.dn.lowercased() == entry.dn.lowercased() }, "\(entry.dn) has no stored password")
            }

            let next = try site.cli("apply")
            #expect(next.status == 0, "\(next.standardError)")
            try await Families.expectConverged(server, site, families: families, credentials: try credentialRows(site))
        }
    }

    /// Every row of every credentials file, oldest file first.
    func credentialRows(_ site: SyncSite) throws -> [CredentialsRow] {
        let folder = site.folder.file("credentials")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        var rows: [CredentialsRow] = []
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\r\n").dropFirst() {
                let fields = Self.csvFields(String(line))
                guard fields.count >= 6 else { continue }
                rows.append(CredentialsRow(
                    dn: fields[0], username: fields[1], givenName: fields[2], familyName: fields[3], email: fields[4],
                    initialPassword: fields[5], children: []))
            }
        }
        return rows
    }

    /// The fields of one RFC 4180 line (the DN is quoted: it holds commas).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\"" where quoted && characters.first == "\"":
                field.append("\"")
                characters = characters.dropFirst()
            case "\"":
                quoted.toggle()
            case "," where !quoted:
                fields.append(field)
                field = ""
            default:
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
