import Foundation
import Logging

/// `notify_command`: a program run after a run with revocations, holds or failures, with the run's
/// JSON summary (`RunNotice`) on stdin. Not through a shell and with no arguments, so nothing of the
/// run ends up in a command line (`ps` shows argv to every user); a site that wants arguments wraps
/// the call in a script. Its failure is logged and never changes the run's exit code.
public struct NotifyCommand: Sendable {
    public var path: String
    /// A notification that hangs must not hold the next hourly run's lock.
    public var timeout: TimeInterval = 60

    public init(path: String) {
        self.path = path
    }

    /// What became of one call.
    public enum Result: Sendable, Equatable {
        case done
        case failed(String)
    }

    /// Runs the program with `notice` on stdin and waits (at most `timeout`) for it to end.
    public func run(_ notice: RunNotice) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
        var environment = ProcessInfo.processInfo.environment
        // The bind password may have come from the environment: the program gets none of it.
        environment.removeValue(forKey: "LDAP_SYNC_BIND_PASSWORD")
        environment["LDAP_SYNC_RUN_ID"] = notice.runID
        environment["LDAP_SYNC_EXIT_CODE"] = String(notice.exitCode)
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failed("\(path) could not be started: \(error.localizedDescription)")
        }
        // Written from another thread: a program that does not read its stdin must not block this one
        // past the timeout once the pipe's buffer is full.
        let writer = input.fileHandleForWriting
        let data = notice.json
        DispatchQueue.global().async {
            try? writer.write(contentsOf: data)
            try? writer.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .failed("\(path) did not finish within \(Int(timeout)) s and was stopped")
        }
        switch (process.terminationReason, process.terminationStatus) {
        case (.exit, 0): return .done
        case (.exit, let status): return .failed("\(path) exited \(status)")
        case (_, let signal): return .failed("\(path) was killed by signal \(signal)")
        }
    }
}
