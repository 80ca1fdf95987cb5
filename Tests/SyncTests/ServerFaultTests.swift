import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The directory goes away in the middle of an apply: for good (exit 4, and the next run converges), or
/// for a moment (the run reconnects with backoff and finishes). Real slapd, stopped and started again on
/// the same port and data.
@Suite struct ServerFaultTests {
    static let families = 1_200

    @Test func serverStoppedDuringApplyExitsFourAfterTheRetriesAndTheNextRunConverges() async throws {
        // fsync makes every write cost a disk flush, so the apply is still running when the server stops.
        try await withSlapd(SlapdOptions(fsync: true, logOperations: false)) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(Self.families))
            let run = try site.run { $0.directory.retries = 2 }
            let first = Task {
                let connection = try await DirectorySession.open(run.config)
                return try await run.apply(connection)
            }
            let seen = try await Families.waitForFirstAccount(server)
            #expect(seen < Self.families, "the apply finished before the server was stopped: nothing was interrupted")
            await server.halt(signal: SIGKILL)

            let cutOff = try await first.value
            #expect(cutOff.exitStatus == .directoryUnavailable)
            #expect(cutOff.result.connectionLost)
            #expect(cutOff.reconnects == 2)
            let fault = try #require(cutOff.directoryFault)
            #expect(fault.contains("did not come back within directory.retries (2)"), "\(fault)")
            let audit = try site.auditRecords()
            #expect(audit.filter { $0.event == "reconnect" }.count == 2)
            #expect(audit.last?.event == "run-end")
            #expect(audit.last?.result == "exit 4")

            try await server.restart()
            let second = try await site.run(now: Date().addingTimeInterval(1)).apply(try await DirectorySession.open(run.config))
            #expect(second.exitStatus == .success)
            try await Families.expectConverged(server, site, families: Self.families, credentials: cutOff.result.credentials + second.result.credentials)
        }
    }

    @Test func connectionDroppedAndServerBackReconnectsWithBackoffAndFinishesInTheSameRun() async throws {
        try await withSlapd(SlapdOptions(fsync: true, logOperations: false)) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(Self.families))
            let run = try site.run { $0.directory.retries = 5 }
            let first = Task {
                let connection = try await DirectorySession.open(run.config)
                return try await run.apply(connection)
            }
            _ = try await Families.waitForFirstAccount(server)
            await server.halt(signal: SIGTERM)
            try await Task.sleep(for: .milliseconds(500))
            try await server.restart()

            let outcome = try await first.value
            #expect(outcome.exitStatus == .success, "\(outcome.result.failures.prefix(3))")
            #expect(outcome.reconnects >= 1)
            #expect(outcome.directoryFault == nil)
            let audit = try site.auditRecords()
            #expect(audit.filter { $0.event == "run-start" }.count == 1, "one run, however many connections")
            #expect(audit.contains { $0.event == "reconnect" && ($0.message ?? "").contains("attempt 1 of 5") })
            try await Families.expectConverged(server, site, families: Self.families, credentials: outcome.result.credentials)
        }
    }

    @Test func serverThatNeverComesBackGetsExactlyTheConfiguredRetries() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(3))
            let run = try site.run { $0.directory.retries = 3 }
            let connection = try await DirectorySession.open(run.config)
            await server.halt()
            let started = Date()
            await #expect(throws: DirectoryUnavailable.self) { _ = try await run.apply(connection) }
            // Backoff 0.2, 0.4, 0.8 s: bounded, and not skipped.
            let took = Date().timeIntervalSince(started)
            #expect(took >= 1.2 && took < 60, "\(took) s")
        }
    }
}
