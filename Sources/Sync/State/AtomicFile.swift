import Foundation

/// Replaces a file in one step: the bytes go to a hidden temporary file in the same folder, are flushed to
/// disk, and the temporary is renamed over the old file. A reader (a person, node_exporter, the next run)
/// sees the old file or the new one, never half of one, and a run killed mid-write, or a machine losing
/// power, leaves the old file.
///
/// One writer for every file ldap-sync replaces (state, Moodle state, restrictions, metrics, reports).
/// Foundation's `Data.write(options: .atomic)` renames too, but does not flush before the rename (after a
/// power cut the new name can point at an empty file) and cannot set exact permissions, which the metrics
/// file (read by node_exporter as another user) and the state and restrictions files (owner only) need.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating the folder if it is missing. The file gets exactly
    /// `permissions` when given (a file another user must read, or one only its owner may); otherwise
    /// 0666 less the umask, like any file a command writes.
    ///
    /// A path that is not a file (`--output /dev/null`, `/dev/stdout`, a named pipe) is written in place:
    /// renaming a file over it would replace the device itself — as root, `/dev/null` for the whole machine.
    ///
    /// `durable: false` renames without waiting for the bytes to reach the disk (their writing is started):
    /// for a cache that checks itself when read (after a power cut it may be empty or torn, and is refused).
    public static func replace(
        _ path: String, with bytes: some Collection<UInt8>, permissions: mode_t? = nil, durable: Bool = true
    ) throws(AtomicFileError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            try writeInPlace(path, bytes)
            return
        }
        try replace(path, permissions: permissions, durable: durable) { write in
            if bytes.withContiguousStorageIfAvailable({ write(UnsafeRawBufferPointer($0)) }) == nil {
                Array(bytes).withUnsafeBytes { write($0) }
            }
        }
    }

    /// `replace` of a file whose bytes `produce` hands over piece by piece, to the function it is given:
    /// for a file too large to hold whole beside what it is made of. Always a file (never written in place).
    public static func replace(
        _ path: String, permissions: mode_t? = nil, durable: Bool = true,
        producing produce: (_ write: (UnsafeRawBufferPointer) -> Void) -> Void
    ) throws(AtomicFileError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw AtomicFileError(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
            }
        }
        // Hidden and not ending in the real name's extension, so a collector scanning the folder for
        // `*.prom` or `*.csv` never picks it up; the process id keeps two writers apart.
        let name = (path as NSString).lastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions ?? 0o666)
        guard descriptor >= 0 else { throw AtomicFileError(path: temporary, reason: currentReason()) }
        // open's mode is filtered by the umask; explicit permissions are what the caller needs.
        if let permissions { _ = fchmod(descriptor, permissions) }
        var failure: String?
        produce { piece in
            if failure == nil { failure = writeAll(piece, to: descriptor) }
        }
        if failure == nil, durable, fsync(descriptor) != 0 { failure = currentReason() }
        // Not durable: the kernel is asked to start writing it out now, without waiting (so that the next
        // process's flushes do not find it still to write).
        if failure == nil, !durable { _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw AtomicFileError(path: path, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = currentReason()
            unlink(temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
    }

    /// `bytes` written through `path` as it is (a device or a pipe): nothing to flush or rename.
    private static func writeInPlace(_ path: String, _ bytes: some Collection<UInt8>) throws(AtomicFileError) {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw AtomicFileError(path: path, reason: currentReason()) }
        let failure = writeAll(bytes, to: descriptor)
        close(descriptor)
        if let failure { throw AtomicFileError(path: path, reason: failure) }
    }

    /// Writes every byte, retrying short writes and interrupted calls; the reason when it cannot.
    /// Bytes already contiguous (a native string's UTF-8, an array, `Data`) are written in place: a
    /// council's JSON plan is 300 MB, and a copy of it would be held beside the text.
    private static func writeAll(_ bytes: some Collection<UInt8>, to descriptor: Int32) -> String? {
        // The outer optional says whether the storage was contiguous; the inner one is the failure, if any.
        if let outcome = bytes.withContiguousStorageIfAvailable({ writeAll(UnsafeRawBufferPointer($0), to: descriptor) }) {
            return outcome
        }
        return Array(bytes).withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return currentReason()
            }
            offset += written
        }
        return nil
    }

    private static func currentReason() -> String { String(cString: strerror(errno)) }
}

/// A file could not be replaced: which path, and the system's reason.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}
