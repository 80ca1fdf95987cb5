import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes read a chunk at a time, so that a large export is never held whole in memory.
public protocol ByteStream {
    /// The next chunk (never empty), or `nil` at the end.
    mutating func nextChunk() throws(RosterError) -> [UInt8]?
}

/// A file read in chunks of `chunkSize` bytes.
public struct FileByteStream: ByteStream {
    /// 1 MiB: large enough that reading costs little per byte, small enough to stay in cache.
    public static let defaultChunkSize = 1 << 20

    private let handle: FileHandle
    private let location: SourceLocation
    private let chunkSize: Int
    /// Bytes left to read when only part of the file is read; `nil` for the whole file.
    private var remaining: Int?
    /// The file's size when it is a regular file, and the bytes read so far: a chunk's buffer is made no
    /// larger than what is left (and one byte more, to see the end), not a megabyte for a small file.
    private(set) var sizeHint: Int?
    private var offset = 0

    /// Opens `path`; the error names `displayName`, the file as the config named it.
    public init(path: String, displayName: String, chunkSize: Int = FileByteStream.defaultChunkSize)
        throws(RosterError)
    {
        location = SourceLocation(file: displayName)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RosterError(.unreadable(reason: "no such file"), at: location)
        }
        guard !isDirectory.boolValue else {
            throw RosterError(.unreadable(reason: "is a folder, not a file"), at: location)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RosterError(.unreadable(reason: "permission denied or not a regular file"), at: location)
        }
        self.handle = handle
        self.chunkSize = chunkSize
        var status = stat()
        if fstat(handle.fileDescriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG { sizeHint = Int(status.st_size) }
    }

    /// The bytes `range` of the file only (one part of a file read in two).
    init(path: String, displayName: String, range: Range<Int>) throws(RosterError) {
        try self.init(path: path, displayName: displayName)
        do {
            try handle.seek(toOffset: UInt64(range.lowerBound))
        } catch {
            throw RosterError(.unreadable(reason: "\(error.localizedDescription)"), at: location)
        }
        remaining = range.count
        offset = range.lowerBound
    }

    public mutating func nextChunk() throws(RosterError) -> [UInt8]? {
        var count = min(chunkSize, remaining ?? chunkSize)
        guard count > 0 else { return nil }
        if let sizeHint { count = min(count, max(0, sizeHint - offset) + 1) }
        // Read straight into the array's storage with `read(2)`: `FileHandle.read` made a `Data` that
        // was then copied into an array a byte at a time (≈ 1.7 instructions a byte of every file).
        let descriptor = handle.fileDescriptor
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            // `read` may return fewer bytes than asked before the end: read on until the chunk is full.
            while initialized < count {
                let got = read(descriptor, buffer.baseAddress! + initialized, count - initialized)
                if got < 0, errno == EINTR { continue }
                if got < 0 { failure = errno }
                if got <= 0 { break }
                initialized += got
            }
        }
        if failure != 0, chunk.isEmpty {
            throw RosterError(.unreadable(reason: String(cString: strerror(failure))), at: location)
        }
        guard !chunk.isEmpty else { return nil }
        remaining = remaining.map { $0 - chunk.count }
        offset += chunk.count
        return chunk
    }
}

/// Bytes already in memory (a member of a zip, a test fixture), handed out in chunks like a file.
public struct MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkSize: Int

    public init(_ bytes: [UInt8], chunkSize: Int = FileByteStream.defaultChunkSize) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    public mutating func nextChunk() throws(RosterError) -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + chunkSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
