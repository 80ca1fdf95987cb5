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

    /// Open addressing over a power-of-two table kept at most half full. It starts small and doubles
    /// as values come: a local authority's 400 school files each made a reader, and a table made at
    /// its full size (8,192 slots, 320 KB) for each cost more to clear and free than their rows' look-ups.
    private var slots: [Entry?]
    private var count = 0
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        slots = Array(repeating: nil, count: 64)
    }

    /// The string for `bytes`, which must be valid UTF-8: the stored one when these bytes were seen
    /// before, else a new one (stored while there is room).
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // FNV-1a: a few instructions a byte, plenty for short values.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var slot = find(hash, bytes)
        if let entry = slots[slot] { return entry.string }
        let string = String(decoding: bytes, as: UTF8.self)
        if count < capacity {
            if (count + 1) * 2 > slots.count {
                grow()
                slot = find(hash, bytes)
            }
            slots[slot] = Entry(hash: hash, bytes: Array(bytes), string: string)
            count += 1
        }
        return string
    }

    /// The slot holding `bytes`, or the empty slot where they would go.
    private func find(_ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let entry = slots[slot] {
            if entry.hash == hash, entry.bytes.count == bytes.count,
                entry.bytes.withUnsafeBytes({ bytes.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
            {
                return slot
            }
            slot = (slot + 1) & mask
        }
        return slot
    }

    /// Twice the slots, every entry moved to its slot there (the hash is stored: nothing is hashed again).
    private mutating func grow() {
        var larger = [Entry?](repeating: nil, count: slots.count * 2)
        let mask = larger.count - 1
        for case let entry? in slots {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while larger[slot] != nil { slot = (slot + 1) & mask }
            larger[slot] = entry
        }
        slots = larger
    }
}
