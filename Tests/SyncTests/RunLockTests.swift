import Foundation
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
