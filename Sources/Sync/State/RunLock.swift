import Foundation

/// One run at a time per `state_dir`: an exclusive `flock` on `state_dir/ldap-sync.lock`.
///
/// flock rather than a pid file: the kernel drops the lock when the process dies, however it dies, so a
/// crashed run never leaves a lock that blocks the next scheduled one.
public final class RunLock: @unchecked Sendable {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
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
        // The pid is only for the person reading the message; the lock itself is the flock.
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        return RunLock(descriptor: descriptor, path: path)
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
