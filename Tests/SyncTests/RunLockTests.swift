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

    /// The waiter runs on a thread of its own: `acquire` sleeps while it waits, and a waiter on the
    /// shared task pool could keep this test from ever releasing the lock when other suites fill the pool
    /// (seen at load on the 2-core CI machine).
    @Test func waitingTakesTheLockOnceItIsReleased() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var first: RunLock? = try RunLock.acquire(stateDirectory: folder.path)
        let waiter = LockWaiter(stateDirectory: folder.path, timeout: 60)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!waiter.hasFinished, "the waiter took a lock that was held")
        #expect(first != nil)
        first = nil
        _ = try waiter.lock()
    }
}

/// `RunLock.acquire(timeout:)` on its own thread; `lock()` waits for its outcome.
private final class LockWaiter: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let guardLock = NSLock()
    private var outcome: Result<RunLock, any Error>?

    init(stateDirectory: String, timeout: Double) {
        Thread { [self] in
            let result = Result { try RunLock.acquire(stateDirectory: stateDirectory, timeout: timeout) }
            guardLock.withLock { outcome = result }
            done.signal()
        }.start()
    }

    var hasFinished: Bool { guardLock.withLock { outcome != nil } }

    func lock() throws -> RunLock {
        done.wait()
        return try guardLock.withLock { outcome! }.get()
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
