import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The run lock against another process: a live holder refuses the run (exit 5); a lock left by a run
/// that died is taken over, with a warning that names it.
@Suite struct LockFaultTests {
    @Test func lockHeldByALiveProcessExitsFiveAndWritesNothing() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(2))
            try FileManager.default.createDirectory(atPath: site.folder.file("state"), withIntermediateDirectories: true)
            // flock(1) holds the same kind of lock from another process for as long as `sleep` runs (it execs
            // sleep, so ending that one process ends the holder).
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = ["--no-fork", site.folder.file("state/ldap-sync.lock"), "sleep", "60"]
            try holder.run()
            defer {
                // SIGKILL: a child of a test thread inherits its blocked signals, SIGTERM among them.
                kill(holder.processIdentifier, SIGKILL)
                holder.waitUntilExit()
            }
            // Until flock(1) holds the lock (a fixed pause was too short when the machine was busy: the run
            // then took the lock first and applied).
            let deadline = ContinuousClock.now + .seconds(60)
            while !Self.isLockedElsewhere(site.folder.file("state/ldap-sync.lock")) {
                try #require(ContinuousClock.now < deadline, "flock(1) did not take the lock within 60 s")
                try await Task.sleep(for: .milliseconds(20))
            }
            let apply = try site.cli("apply")
            #expect(apply.status == 5, "\(apply.standardError)")
            #expect(apply.standardError.contains("another ldap-sync run holds the lock"))
            #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").isEmpty)
        }
    }

    /// Whether another open file description holds an exclusive lock on `path`: a non-blocking attempt
    /// from here is refused. (A file that does not exist yet is not locked; one taken here is let go.)
    private static func isLockedElsewhere(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    @Test func staleLockOfADeadRunIsTakenOverWithAWarning() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(2))
            // A run that died: its pid is in the lock file, and no process has that pid any more.
            let dead = Process()
            dead.executableURL = URL(fileURLWithPath: "/bin/true")
            try dead.run()
            dead.waitUntilExit()
            let state = site.folder.file("state")
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            try Data("\(dead.processIdentifier)\n".utf8).write(to: URL(fileURLWithPath: state + "/ldap-sync.lock"))

            let apply = try site.cli("apply")
            #expect(apply.status == 0, "\(apply.standardError)")
            #expect(apply.standardError.contains("the lock \(state)/ldap-sync.lock was left by run \(dead.processIdentifier), which is no longer running"), "\(apply.standardError)")
            #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").count == 2)
            // A run that ends cleanly leaves no pid behind, so the next one warns of nothing.
            #expect(try String(contentsOfFile: state + "/ldap-sync.lock", encoding: .utf8).isEmpty)
            let again = try site.cli("apply")
            #expect(again.status == 0)
            #expect(!again.standardError.contains("was left by run"), "\(again.standardError)")
        }
    }
}
