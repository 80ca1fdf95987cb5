import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Another server a test starts beside slapd (Apache, say), spawned and watched the way slapd is: with a
/// clear signal mask, so it sees the signal that stops it, and a watchdog that stops it if the test
/// process dies first (see `SlapdProcess`). It runs in a process group of its own: Apache's prefork sends
/// SIGTERM to its whole group when it stops, and the tests must not be in it.
public final class Daemon: Sendable {
    private let process: SlapdProcess

    /// Starts `executable arguments…` in the foreground; its stdout and stderr go to `logFile`, the
    /// watchdog's pid to `watchdogPIDFile`.
    public init(executable: String, arguments: [String], logFile: String, watchdogPIDFile: String) throws {
        process = try SlapdProcess(
            executable: executable, arguments: arguments, logFile: URL(fileURLWithPath: logFile),
            watchdogPIDFile: URL(fileURLWithPath: watchdogPIDFile), watchedProcessID: getpid(), ownProcessGroup: true)
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGTERM by default), waits up to 20 s, then kills it.
    public func stop(signal: Int32 = SIGTERM) async {
        process.signal(signal)
        if !(await process.waitForExit(seconds: 20)) {
            process.signal(SIGKILL)
            _ = await process.waitForExit(seconds: 5)
        }
    }
}
