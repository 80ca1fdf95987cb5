import Foundation

/// Positions of records in an array, found by a hash of their key: the builder's indexes of pupils,
/// contacts and links (issue 3). A `Dictionary` keyed by the references hashed every key with SipHash
/// through `Hasher` (≈ 600 instructions for a contact's two strings) and stored a copy of every key;
/// this table stores only the position and 32 bits of the hash, computed once from the key's bytes
/// (`KeyHash`), and asks the caller whether the record at a position has the key (`matches`), which
/// happens only when those 32 bits agree.
///
/// The hash is not keyed against chosen collisions as SipHash is: a file made to collide would make
/// reading it slow (probing), never wrong, since every match is confirmed on the key itself.
struct PositionIndex {
    /// Empty slots are 0; a used one holds the hash's high 32 bits over `position + 1`.
    private var slots: [UInt64] = []
    private var mask = 0
    private(set) var count = 0

    init() {}

    /// Room for `capacity` keys without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        if capacity > maximumCount { resize(toHold: capacity) }
    }

    /// The most keys the slots hold before they grow: three quarters of them.
    private var maximumCount: Int { slots.count / 4 * 3 }

    /// The position in `records` of the record under `hash` for which `matches` is true; or, when there is
    /// none, `nil` after filing `records.count` under `hash` (the caller appends the new record there).
    mutating func find<Record>(hash: UInt64, in records: [Record], orFileNext matches: (Record) -> Bool) -> Int? {
        if let position = find(hash: hash, matches: { matches(records[$0]) }) { return position }
        insert(hash: hash, position: records.count)
        return nil
    }

    /// Stores `position` under `hash`; the caller found no record with the key (`find`).
    mutating func insert(hash: UInt64, position: Int) {
        if count + 1 > maximumCount { resize(toHold: count + 1) }
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
        count += 1
    }

    /// The position of the record whose key has `hash` and for which `matches` is true.
    func find(hash: UInt64, matches: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { return nil }
            if stored & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(stored & 0xFFFF_FFFF) - 1
                if matches(position) { return position }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Slots for at least `keys` keys, a power of two, every stored key moved to its new slot (the slot
    /// is found from the stored high bits, so no key is hashed again).
    private mutating func resize(toHold keys: Int) {
        var size = 16
        while size / 4 * 3 < keys { size *= 2 }
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for stored in old where stored != 0 {
            var slot = Int(truncatingIfNeeded: stored >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = stored
        }
    }
}

/// A 64-bit hash of a key's parts: FNV-1a over their bytes, each part's length mixed in after it (so
/// "ab","c" and "a","bc" differ), then a final mix so that the high bits the index uses depend on
/// every byte.
struct KeyHash {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    init() {}

    /// Adds `text`'s bytes in their canonical composition (NFC), as `String`'s `==` compares: "é" typed
    /// as one scalar or as "e" and a combining accent, or the Kelvin sign and "K", are one key. ASCII text
    /// is its own composition; anything else is composed first.
    mutating func combine(_ text: String) {
        // Hashed and checked for ASCII in one pass; undone when a byte was not ASCII.
        let before = state
        let length = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var high: UInt8 = 0
            for byte in bytes {
                high |= byte
                combine(byte)
            }
            return high < 0x80 ? bytes.count : nil
        }
        if let length, let length {
            combine(length)
            return
        }
        state = before
        var count = 0
        let composed = text.utf8.contains(where: { $0 >= 0x80 }) ? text.precomposedStringWithCanonicalMapping : text
        for byte in composed.utf8 {
            combine(byte)
            count += 1
        }
        combine(count)
    }

    mutating func combine(_ value: Int) {
        state = (state ^ UInt64(truncatingIfNeeded: value)) &* 0x0000_0100_0000_01B3
    }

    private mutating func combine(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// MurmurHash3's 64-bit finaliser.
    var value: UInt64 {
        var hash = state
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}

extension PupilReference {
    /// The hash `PositionIndex` files this reference under.
    var keyHash: UInt64 {
        var hash = KeyHash()
        hash.combine(schoolID)
        hash.combine(pupilID)
        return hash.value
    }
}

extension ContactReference {
    /// The hash `PositionIndex` files this reference under.
    var keyHash: UInt64 {
        var hash = KeyHash()
        hash.combine(schoolID)
        switch key {
        case .contactID(let id):
            hash.combine(0)
            hash.combine(id)
        case .position(let pupilID, let index):
            hash.combine(1)
            hash.combine(pupilID)
            hash.combine(index)
        }
        return hash.value
    }
}
