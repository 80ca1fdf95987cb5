import Foundation

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
    }

    public mutating func nextChunk() throws(RosterError) -> [UInt8]? {
        do {
            let count = min(chunkSize, remaining ?? chunkSize)
            guard count > 0, let data = try handle.read(upToCount: count), !data.isEmpty else { return nil }
            remaining = remaining.map { $0 - data.count }
            return [UInt8](data)
        } catch {
            throw RosterError(.unreadable(reason: "\(error.localizedDescription)"), at: location)
        }
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
