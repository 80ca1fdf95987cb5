import Foundation

/// Proves, before accounts are created, that their first passwords can be stored: the folder is
/// writable and has room for what the round will write. A full disk found after the accounts exist
/// would leave accounts whose passwords nobody was told.
enum StorageRoom {
    /// Bytes written per new account: a credentials row with its letter, and audit lines to spare.
    static let bytesPerAccount = 2_048

    /// Reserves `bytes` in `directory` (a scratch file given real blocks with posix_fallocate, then
    /// removed) and throws `StorageProblem` when the folder cannot be written or is too full.
    static func ensure(_ bytes: Int, in directory: String, purpose: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageProblem(directory: directory, purpose: purpose, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let scratch = (directory as NSString).appendingPathComponent(".ldap-sync-room-\(getpid())")
        let descriptor = open(scratch, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StorageProblem(directory: directory, purpose: purpose, reason: String(cString: strerror(errno)))
        }
        defer {
            close(descriptor)
            unlink(scratch)
        }
        let status = posix_fallocate(descriptor, 0, off_t(max(1, bytes)))
        // Filesystems without fallocate say EOPNOTSUPP: the folder is writable, and room is not known.
        guard status == 0 || status == EOPNOTSUPP else {
            throw StorageProblem(directory: directory, purpose: purpose, reason: String(cString: strerror(status)))
        }
    }
}

/// A folder where first passwords (or the journal and audit log that guard them) must go cannot take
/// them: the accounts are not created.
public struct StorageProblem: Error, Sendable, CustomStringConvertible {
    public var directory: String
    public var purpose: String
    public var reason: String

    public var description: String {
        "cannot store \(purpose) in \(directory): \(reason); no account was created whose password could not be stored"
    }
}
