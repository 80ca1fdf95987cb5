import Foundation
import Varint

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
        guard let value = Varint.read(storage, at: &position, end: end) else {
            // Nine bytes without the varint's end: no writer writes that. Fewer: more is to be read.
            if end - position >= 9 { damaged = true }
            return nil
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
