import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Faults a test can cause in its server: hung (stopped by SIGSTOP, connections open but no answer),
// gone (the process ended, connections reset), and back again on the same port and data.
extension SlapdServer {
    /// Freezes slapd (SIGSTOP): the kernel still accepts connections and takes requests, but nothing
    /// answers, like a server stuck on a dead disk. `resume()` undoes it.
    public func suspend() {
        kill(processID, SIGSTOP)
        // A signal is delivered when the kernel next schedules the process: wait until it is stopped
        // (state T in /proc), so that a request sent next cannot be answered first.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let stat = (try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].dropFirst().first == "T" { return }
            usleep(1_000)
        }
    }

    /// Lets a suspended slapd run again (SIGCONT); requests sent meanwhile are then answered.
    public func resume() {
        kill(processID, SIGCONT)
    }

    /// Ends slapd as `signal` does (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for it,
    /// keeping its folder, database and log for `restart()`. A suspended slapd is resumed first, or
    /// it could not act on the signal.
    public func halt(signal: Int32 = SIGTERM) async {
        let process = processForFaults
        process.signal(signal)
        kill(process.processID, SIGCONT)
        if !(await process.waitForExit(seconds: 30)) {
            process.signal(SIGKILL)
            _ = await process.waitForExit(seconds: 10)
        }
    }

    /// Starts slapd again after `halt(signal:)`, on the same ports with the same database, and waits
    /// until it answers. Entries written before the halt are there (mdb commits are durable even
    /// with `dbnosync` once slapd has shut down; after SIGKILL only what the OS had is).
    public func restart() async throws {
        guard !isRunning else { return }
        var attempt = 0
        while true {
            try replaceProcess()
            do {
                try await waitUntilReady(seconds: 30)
                return
            } catch SlapdHarnessError.slapdExited(_, _, let tail)
                where attempt < 20 && (tail.contains("errno=98") || tail.contains("Address already in use")) {
                // The old socket may linger for a moment; slapd sets SO_REUSEADDR, so this is rare.
                attempt += 1
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}
