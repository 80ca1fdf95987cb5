import Foundation

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
