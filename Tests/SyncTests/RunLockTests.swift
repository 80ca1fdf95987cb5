import Foundation
import SlapdHarness
import Testing

@testable import Sync

@Suite struct RunLockTests {
    @Test func secondRunIsRefusedWithExitFiveWhileTheFirstHoldsTheLock() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let first = try RunLock.acquire(stateDirectory: folder.path)
        #expect(throws: RunLockError.self) { _ = try RunLock.acquire(stateDirectory: folder.path) }
        do {
            _ = try RunLock.acquire(stateDirectory: folder.path)
        } catch let error as RunLockError {
            #expect(error.exitStatus == .locked)
            #expect(error.description.contains(folder.path))
        }
        _ = first
    }

    @Test func lockIsFreeAgainWhenTheHolderGoes() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        do { _ = try RunLock.acquire(stateDirectory: folder.path) }
        _ = try RunLock.acquire(stateDirectory: folder.path)
    }

    @Test func waitingTakesTheLockOnceItIsReleased() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var first: RunLock? = try RunLock.acquire(stateDirectory: folder.path)
        let path = folder.path
        let waiter = Task.detached { try RunLock.acquire(stateDirectory: path, timeout: 10) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(first != nil)
        first = nil
        _ = try await waiter.value
    }
}

@Suite struct RunLockCommandTests {
    @Test func planAndApplyExitFiveAndWriteNothingWhileAnotherRunHoldsTheLock() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A800000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
            try site.write(export)
            let directory = DirectoryInspector(server: server)

            var other: RunLock? = try RunLock.acquire(stateDirectory: try site.config().stateDir)
            let apply = try site.cli("apply")
            #expect(apply.status == 5, "\(apply.standardError)")
            #expect(apply.standardError.contains("lock"))
            #expect(try site.cli("plan").status == 5)
            #expect(try await directory.parentsByContact("5301234").isEmpty)

            // The same command runs once the other run has finished: it was the lock that stopped it.
            #expect(other != nil)
            other = nil
            #expect(try site.cli("apply").status == 0)
            #expect(try await directory.parentsByContact("5301234").count == 1)
        }
    }
}
