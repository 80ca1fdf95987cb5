import Foundation
import Varint

/// The state folder's copy of the last whole-tree read (`directory-cache`): each entry the read found, in
/// the order the server sent it, with its version (`EntryVersion`: `entryCSN` and the ppolicy lock).
/// `DirectoryReader` reads only the entries whose version changed and takes the rest from here.
///
/// The file, written by `EntryCacheWriter` and read by `EntryCacheReader`:
///
///     "ldap-sync entry cache 1\n", varint key length, key   (what read it: base, filter, attributes, bind DN)
///     records: varint DN length, DN, varint version length, version, varint attributes length, attributes
///     the records' DN hashes (`EntryCacheHash`), sorted, 8 bytes each, little-endian
///     footer: where the records end, how many, their checksum (8 bytes each), "LSEC-END"
///
/// The attributes are `Entry.encodedAttributes`. The checksum covers the key and every record: a file cut
/// short, or changed by hand, is not used (the run reads the whole tree instead).
enum EntryCacheFile {
    static let magic = Array("ldap-sync entry cache 1\n".utf8)
    static let footerMagic = Array("LSEC-END".utf8)
    static let footerSize = 32
    /// The file's name in `state_dir`.
    static let name = "directory-cache"
}

/// A 64-bit hash of bytes, eight at a time: the cache's checksum (over each piece in turn) and its DN hashes.
/// Not cryptographic: it finds a file cut short or damaged, as the state folder is the run's own (mode 0700).
struct EntryCacheHash {
    private(set) var value: UInt64 = 0x6A09_E667_F3BC_C908

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = (value ^ UInt64(bytes.count)) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        value = mix(hash ^ tail)
    }

    @inline(__always)
    private func mix(_ word: UInt64) -> UInt64 {
        let product = word &* 0x9E37_79B9_7F4A_7C15
        return product ^ (product >> 29)
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = EntryCacheHash()
        hash.add(bytes)
        return hash.value
    }

    static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }
}

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
        temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid()).tmp")
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
            let dnRaw = UnsafeRawBufferPointer(dnBytes)
            hashes.append(EntryCacheHash.of(dnRaw))
            checksum.add(dnRaw)
            Varint.append(dnRaw.count, to: &buffer)
            buffer.append(contentsOf: dnRaw)
        }
        version.withUnsafeBytes { checksum.add($0) }
        Varint.append(version.count, to: &buffer)
        buffer += version
        attributes.withUnsafeBytes { checksum.add($0) }
        Varint.append(attributes.count, to: &buffer)
        buffer += attributes
        if buffer.count >= 1 << 20 { flush() }
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

/// Reads an `EntryCacheFile` record by record, in order, checking the checksum as it goes: `isIntact`
/// once the last record is read. Nil when there is no file, or it was written for another read (its key)
/// or is not whole (its footer).
final class EntryCacheReader {
    /// One record, read in place: valid until the next `next()`.
    struct Record {
        var dn: UnsafeRawBufferPointer
        var version: UnsafeRawBufferPointer
        var attributes: UnsafeRawBufferPointer
    }

    /// How many records the file holds.
    let count: Int
    private let descriptor: Int32
    private let hashes: [UInt64]
    private let recordsEnd: Int
    private let expectedChecksum: UInt64
    private var checksum = EntryCacheHash()
    private var storage: UnsafeMutableRawBufferPointer
    /// The unread bytes are storage[start..<end]; the file's bytes before `fileOffset` have been read.
    private var start = 0
    private var end = 0
    private var fileOffset = 0
    private var recordsRead = 0
    private var damaged = false

    init?(path: String, key: [UInt8]) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        let footerSize = EntryCacheFile.footerSize
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= EntryCacheFile.magic.count + footerSize else {
            close(descriptor)
            return nil
        }
        let size = Int(info.st_size)
        var footer = [UInt8](repeating: 0, count: footerSize)
        let footerRead = footer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, footerSize, off_t(size - footerSize)) }
        let word = { (index: Int) in footer.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) } }
        let recordsEnd = Int(clamping: word(0))
        let count = Int(clamping: word(1))
        guard footerRead == footerSize, Array(footer[24...]) == EntryCacheFile.footerMagic,
            recordsEnd <= size - footerSize, count <= (size - footerSize - recordsEnd) / 8,
            recordsEnd + count * 8 == size - footerSize
        else {
            close(descriptor)
            return nil
        }
        var hashes = [UInt64](repeating: 0, count: count)
        let hashBytes = count * 8
        let hashesRead = hashes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, hashBytes, off_t(recordsEnd)) }
        guard hashesRead == hashBytes else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.hashes = hashes.map { UInt64(littleEndian: $0) }
        self.count = count
        self.recordsEnd = recordsEnd
        self.expectedChecksum = word(2)
        storage = .allocate(byteCount: 1 << 20, alignment: 8)
        // The header: the magic and the key it was written for.
        var header: (magic: Range<Int>, key: Range<Int>)?
        while header == nil {
            header = parse { position in
                guard let magic = self.bytes(EntryCacheFile.magic.count, at: &position) else { return nil }
                guard let key = self.piece(at: &position) else { return nil }
                return (magic, key)
            }
            if header == nil, damaged || !readMore() { return nil }
        }
        guard let header, Array(slice(header.magic)) == EntryCacheFile.magic, Array(slice(header.key)) == key else { return nil }
        checksum.add(slice(header.key))
    }

    deinit {
        close(descriptor)
        storage.deallocate()
    }

    /// Whether a record's DN has this hash (`EntryCacheHash.of`): false means the DN is not in the file.
    func contains(dnHash: UInt64) -> Bool {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < dnHash { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == dnHash
    }

    /// The next record; nil after the last, or where the file is damaged (`isIntact` is then false).
    func next() -> Record? {
        while !damaged, consumed < recordsEnd {
            let record = parse { position -> (Range<Int>, Range<Int>, Range<Int>)? in
                guard let dn = self.piece(at: &position), let version = self.piece(at: &position),
                    let attributes = self.piece(at: &position)
                else { return nil }
                return (dn, version, attributes)
            }
            guard let record else {
                if !readMore() { damaged = true }
                continue
            }
            recordsRead += 1
            let found = Record(dn: slice(record.0), version: slice(record.1), attributes: slice(record.2))
            checksum.add(found.dn)
            checksum.add(found.version)
            checksum.add(found.attributes)
            return found
        }
        return nil
    }

    /// Every record read, none damaged, as many as the footer says, and the checksum the writer wrote.
    var isIntact: Bool {
        !damaged && recordsRead == count && consumed == recordsEnd && checksum.value == expectedChecksum
    }

    /// Reads the rest of the records (checking them).
    func readToEnd() {
        while next() != nil {}
    }

    /// Where the file has been read up to.
    private var consumed: Int { fileOffset - (end - start) }

    private func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[range])
    }

    /// `body`'s result over the unread bytes, which it reads from the position it is given; the bytes it
    /// read are then used up. Nil, nothing used up, when they were not all there yet (or `damaged` is set).
    private func parse<T>(_ body: (inout Int) -> T?) -> T? {
        var position = start
        guard let result = body(&position) else { return nil }
        start = position
        return result
    }

    /// A varint length and as many bytes after it.
    private func piece(at position: inout Int) -> Range<Int>? {
        var value = 0
        var shift = 0
        while true {
            guard position < end else { return nil }
            guard shift < 63 else {
                damaged = true
                return nil
            }
            let byte = storage[position]
            position += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return bytes(value, at: &position)
    }

    private func bytes(_ count: Int, at position: inout Int) -> Range<Int>? {
        guard count <= recordsEnd else {
            damaged = true
            return nil
        }
        guard end - position >= count else { return nil }
        defer { position += count }
        return position..<position + count
    }

    /// Moves the unread bytes to the front (growing the buffer when they fill it) and reads more of the
    /// records after them; false when there is nothing more to read.
    private func readMore() -> Bool {
        let unread = end - start
        if start > 0 {
            if unread > 0 { storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: unread) }
            start = 0
            end = unread
        }
        if end == storage.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 8)
            larger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: end)
            storage.deallocate()
            storage = larger
        }
        let wanted = min(storage.count - end, recordsEnd - fileOffset)
        guard wanted > 0 else { return false }
        while true {
            let count = pread(descriptor, storage.baseAddress! + end, wanted, off_t(fileOffset))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            end += count
            fileOffset += count
            return true
        }
    }
}
