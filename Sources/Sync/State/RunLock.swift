import Foundation

/// One run at a time per `state_dir`: an exclusive `flock` on `state_dir/ldap-sync.lock`.
///
/// flock rather than a pid file: the kernel drops the lock when the process dies, however it dies, so a
/// crashed run never leaves a lock that blocks the next scheduled one. The file also names the pid of
/// the run holding it, and a run that ends cleanly empties it: a pid found there when the lock is free
/// is a run that died (killed, crashed, power cut), which the next run takes over and says so.
public final class RunLock: @unchecked Sendable {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String
    /// The pid of a run that died holding the lock, when this run took it over from one.
    public let takenOverFrom: Int32?

    private init(descriptor: Int32, path: String, takenOverFrom: Int32?) {
        self.descriptor = descriptor
        self.path = path
        self.takenOverFrom = takenOverFrom
    }

    deinit {
        // Emptied before unlocking: a pid left in the file means the run did not end this way.
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The warning to give when the lock was taken over from a dead run.
    public var staleWarning: String? {
        takenOverFrom.map { pid in
            let state = kill(pid, 0) == 0 || errno == EPERM
                ? "which did not release it (pid \(pid) now belongs to another process)" : "which is no longer running (killed or crashed)"
            return "the lock \(path) was left by run \(pid), \(state): taken over; check that run's end in the audit log"
        }
    }

    /// Takes the lock, waiting up to `timeout` seconds (0: don't wait). Throws `RunLockError.held` when
    /// another run keeps it.
    public static func acquire(stateDirectory: String, timeout: Double = 0) throws -> RunLock {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let path = (stateDirectory as NSString).appendingPathComponent("ldap-sync.lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RunLockError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK, Date() < deadline else {
                close(descriptor)
                throw RunLockError.held(path: path)
            }
            usleep(100_000)
        }
        // A pid still in the file belongs to a run that never released it: it died.
        let previous = Self.recordedPID(descriptor)
        let stale = previous.flatMap { $0 != getpid() ? $0 : nil }
        // The pid is for people and for spotting a dead run; the lock itself is the flock.
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        fsync(descriptor)
        return RunLock(descriptor: descriptor, path: path, takenOverFrom: stale)
    }
}

extension RunLock {
    /// The pid written in the lock file, if any.
    static func recordedPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}

/// Why the run lock could not be taken.
public enum RunLockError: Error, CustomStringConvertible, ExitStatusProviding {
    case held(path: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path): "another ldap-sync run holds the lock \(path); try again when it has finished"
        case .cannotOpen(let path, let reason): "cannot open the lock file \(path): \(reason)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .held: .locked
        case .cannotOpen: .inputError
        }
    }
}
