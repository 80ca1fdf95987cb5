import Foundation
import Varint

/// Writes a new `EntryCacheFile` record by record (a megabyte at a time, never the whole file in memory),
/// then puts it in place in one step as `AtomicFile` does: a run stopped halfway leaves the old file.
final class EntryCacheWriter {
    let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var checksum = EntryCacheHash()
    private var hashes: [UInt64] = []
    private var written = 0
    private var failure: String?

    /// Starts the file (mode 0600: it holds the parents' names, e-mail addresses and phones).
    init(path: String, key: [UInt8]) throws(AtomicFileError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // One name, not one per process (as `AtomicFile`'s): only `apply` writes the cache, one at a time under
        // the state folder's lock, and a run killed while writing leaves a file of some 100 MB that the next
        // run's writer then overwrites instead of leaving beside it for good.
        temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp")
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AtomicFileError(path: temporary, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20 + 4096)
        buffer += EntryCacheFile.magic
        Varint.append(key.count, to: &buffer)
        buffer += key
        key.withUnsafeBytes { checksum.add($0) }
    }

    deinit {
        if descriptor >= 0 { discard() }
    }

    /// One entry: its DN, its version and its attributes (`Entry.encodedAttributes`).
    func append(dn: String, version: [UInt8], attributes: [UInt8]) {
        var dn = dn
        dn.withUTF8 { dnBytes in
            version.withUnsafeBytes { versionBytes in
                attributes.withUnsafeBytes { append(dn: UnsafeRawBufferPointer(dnBytes), version: versionBytes, attributes: $0) }
            }
        }
    }

    /// A record of another cache file as it was read (when a cache is written anew from the old one).
    func append(_ record: EntryCacheReader.Record) {
        append(dn: record.dn, version: record.version, attributes: record.attributes)
    }

    private func append(dn: UnsafeRawBufferPointer, version: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer) {
        hashes.append(EntryCacheHash.of(dn))
        appendPiece(dn)
        appendPiece(version)
        appendPiece(attributes)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// A varint length and the bytes, counted in the checksum (the reader checks them piece by piece).
    private func appendPiece(_ piece: UnsafeRawBufferPointer) {
        checksum.add(piece)
        Varint.append(piece.count, to: &buffer)
        buffer.append(contentsOf: piece)
    }

    /// The records' hashes and the footer written, the file flushed to disk and renamed over `path`.
    func finish() throws(AtomicFileError) {
        let recordsEnd = written + buffer.count
        flush()
        for hash in hashes.sorted() {
            appendWord(hash)
            if buffer.count >= 1 << 20 { flush() }
        }
        appendWord(UInt64(recordsEnd))
        appendWord(UInt64(hashes.count))
        appendWord(checksum.value)
        buffer += EntryCacheFile.footerMagic
        flush()
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        descriptor = -1
        if let failure {
            unlink(temporary)
            throw AtomicFileError(path: path, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
    }

    /// Gives the new file up: the old one (if any) stays.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    private func appendWord(_ word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func flush() {
        defer {
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        guard failure == nil else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += count
            }
        }
    }
}
