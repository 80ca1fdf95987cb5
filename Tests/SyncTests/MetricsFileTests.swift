import Foundation
import Reconcile
import Testing

@testable import Sync

@Suite struct MetricsFileTests {
    func summary(exit: Int32) -> RunSummary {
        var summary = RunSummary(command: "apply", runID: "r", startedAt: Date(timeIntervalSince1970: 1_800_000_000), exitCode: exit)
        summary.duration = 2.5
        summary.changes = [.create: 3, .unlink: 1]
        let change = Change(action: .disable, dn: "uid=a,ou=P", parentID: "p", reasons: [], schools: ["1"], cause: .disappearance, modifications: [])
        summary.held = [HeldChange(change: change, gate: .maxDisable), HeldChange(change: change, gate: .maxDisable)]
        summary.sourceRecords = ["5301234": 812, "5304001": 40]
        summary.vleCallsOwed = 7
        return summary
    }

    @Test func everyMetricOfDesignPartBWithTheRunsValues() throws {
        let text = MetricsFile.render(summary(exit: 3), lastSuccess: Date(timeIntervalSince1970: 1_799_990_000))
        let samples = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        for sample in [
            "ldap_sync_changes{action=\"create\"} 3.0", "ldap_sync_changes{action=\"unlink\"} 1.0", "ldap_sync_changes{action=\"delete\"} 0.0",
            "ldap_sync_held{gate=\"max-disable\"} 2.0", "ldap_sync_held{gate=\"source-shrunk\"} 0.0", "ldap_sync_write_failures 0.0",
            "ldap_sync_duration_seconds 2.5", "ldap_sync_last_success_timestamp_seconds 1799990000.0",
            "ldap_sync_source_records{school=\"5301234\"} 812.0", "ldap_sync_exit_code 3.0", "ldap_sync_vle_calls_owed 7.0",
        ] {
            #expect(samples.contains(sample), "missing \(sample) in\n\(text)")
        }
    }

    @Test func neverSucceededLeavesTheLastSuccessOutSoAbsentTellsIt() {
        #expect(!MetricsFile.render(summary(exit: 4), lastSuccess: nil).contains("ldap_sync_last_success_timestamp_seconds"))
    }

    @Test func failedRunKeepsTheLastSuccessOfTheFileBeforeAndASuccessMovesIt() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("ldap-sync.prom")
        var good = summary(exit: 0)
        good.held = []
        try MetricsFile.write(good, to: path)
        #expect(MetricsFile.previousLastSuccess(at: path) == Date(timeIntervalSince1970: 1_800_000_003))  // start + 2.5 s, rounded
        var failed = summary(exit: 4)
        failed.startedAt = Date(timeIntervalSince1970: 1_800_003_600)
        try MetricsFile.write(failed, to: path)
        #expect(MetricsFile.previousLastSuccess(at: path) == Date(timeIntervalSince1970: 1_800_000_003))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("ldap_sync_exit_code 4.0"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ldap-sync.prom"])
    }
}
