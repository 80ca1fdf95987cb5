import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running slapd and the small watchdog that stops it when the test process is gone.
///
/// slapd outlives a test process that crashes or is killed: nothing else would stop it, and a test
/// run that leaves daemons behind fills the machine. Linux's parent-death signal fires when the
/// spawning *thread* ends, which in a Swift concurrency pool is any time. So slapd is started through
/// bash, which forks a loop that watches the test process and then `exec`s slapd: slapd keeps the
/// pid we spawned, and the loop sends it SIGINT once the watched process has gone (SIGKILL 10 s
/// later if it is still there).
///
/// Spawned with posix_spawn, not Foundation's `Process`, for two reasons found the hard way:
/// - `Process` learns that a child ended when every copy of a socket it hands the child is closed.
///   The watchdog inherits that socket and waits for slapd to be reaped, so `Process` never saw
///   slapd end. Here the script closes every inherited descriptor above stderr (any of them would
///   also hold up another test's `Process`), and we reap slapd ourselves with waitpid. The loop that
///   closes them must have no redirection of its own: bash would park stderr on a descriptor above
///   2 for the loop's length, the loop would close it, and slapd's log would silently stay empty.
/// - A child inherits the signal mask of the spawning thread, and Dispatch's threads block signals:
///   slapd would never see the SIGINT that stops it. The spawn attributes clear the mask.
final class SlapdProcess: Sendable {
    let processID: pid_t
    let watchdogPIDFile: URL
    /// slapd's wait status once reaped.
    private let reapedStatus = Locked<Int32?>(nil)

    private static let watchdogScript = """
        for fd in /proc/self/fd/*; do
          n=${fd##*/}
          if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi
        done
        watched=$1; pidfile=$2; shift 2
        slapd_pid=$$
        (
          while kill -0 "$watched" 2>/dev/null; do
            kill -0 "$slapd_pid" 2>/dev/null || exit 0
            sleep 0.5
          done
          kill -INT "$slapd_pid" 2>/dev/null
          i=0
          while [ $i -lt 100 ]; do
            kill -0 "$slapd_pid" 2>/dev/null || exit 0
            sleep 0.1
            i=$((i + 1))
          done
          kill -KILL "$slapd_pid" 2>/dev/null
        ) </dev/null &
        echo $! > "$pidfile"
        exec "$@"
        """

    /// Starts `slapd arguments…` (or another daemon: `executable`) with stdout and stderr appended to `logFile`.
    /// - Parameter ownProcessGroup: start it in a process group of its own, for a daemon that signals its
    ///   whole group when it stops (Apache's prefork does), which would otherwise include the tests.
    init(
        executable: String = Tool.slapd, arguments: [String], logFile: URL, watchdogPIDFile: URL, watchedProcessID: Int32,
        ownProcessGroup: Bool = false
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SlapdHarnessError.toolMissing(path: executable)
        }
        self.watchdogPIDFile = watchdogPIDFile
        let log = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw SlapdHarnessError.system(call: "open \(logFile.path)", errno: errno) }
        defer { close(log) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else { throw SlapdHarnessError.system(call: "open /dev/null", errno: errno) }
        defer { close(null) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, null, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ["/bin/bash", "-c", Self.watchdogScript, "slapd-watchdog", String(watchedProcessID),
                    watchdogPIDFile.path, executable] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/bash", &actions, &attributes, cArguments, environ)
        guard status == 0 else { throw SlapdHarnessError.system(call: "posix_spawn /bin/bash", errno: status) }
        processID = pid
    }

    /// Whether slapd still runs; reaps it (once) when it has ended.
    var isRunning: Bool {
        reapedStatus.withLock { status in
            guard status == nil else { return false }
            var waitStatus: Int32 = 0
            switch waitpid(processID, &waitStatus, WNOHANG) {
            case processID: status = waitStatus
            case -1 where errno == ECHILD: status = -1  // reaped by someone else: gone all the same
            default: break
            }
            return status == nil
        }
    }

    /// The exit code, or 128 + the signal that ended slapd; -1 while it runs or when unknown.
    var terminationStatus: Int32 {
        guard let status = reapedStatus.withLock({ $0 }), status >= 0 else { return -1 }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    func signal(_ signal: Int32) {
        if isRunning { kill(processID, signal) }
    }

    /// Waits until slapd has exited and been reaped; false if `seconds` passed first.
    func waitForExit(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// The watchdog loop's pid, once the shell has written it.
    var watchdogProcessID: Int32? {
        (try? String(contentsOf: watchdogPIDFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// Whether a process with this pid exists (a zombie counts as gone: it runs nothing).
func processExists(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // Field 3 of /proc/PID/stat is the state; Z is a zombie.
    if let status, let close = status.lastIndex(of: ")") {
        let rest = status[status.index(after: close)...].split(separator: " ")
        if rest.first == "Z" { return false }
    }
    return true
}
