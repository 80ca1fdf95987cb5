import Foundation

/// One `String` for each value that repeats from row to row (school ids, titles, relationships, towns),
/// looked up by the field's bytes, so that a million-row export makes each such string once rather
/// than once a row, and the roster holds one copy of it.
///
/// Only columns with few distinct values are meant to come here. The table stops growing at
/// `capacity` values, so a column that turns out to be unique per row costs a failed look-up, never
/// memory.
struct StringInterner {
    private struct Entry {
        var hash: UInt64
        var bytes: [UInt8]
        var string: String
    }

    /// Open addressing over a power-of-two table kept at most half full.
    private var slots: [Entry?]
    private var count = 0
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: nil, count: size)
    }

    /// The string for `bytes`, which must be valid UTF-8: the stored one when these bytes were seen
    /// before, else a new one (stored while there is room).
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // FNV-1a: a few instructions a byte, plenty for short values.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let entry = slots[slot] {
            if entry.hash == hash, entry.bytes.count == bytes.count,
                entry.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
            {
                return entry.string
            }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: bytes, as: UTF8.self)
        if count < capacity {
            slots[slot] = Entry(hash: hash, bytes: Array(bytes), string: string)
            count += 1
        }
        return string
    }
}
