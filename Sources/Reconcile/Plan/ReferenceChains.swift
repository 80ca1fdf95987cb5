/// Every managed entry's record references (`misContactRef`), each with the entries holding it in entry
/// order: what matching looks a person's references up in (`IndexMatching.Overlaps`).
///
/// The entries holding one reference are a chain of links, one link an (entry, reference) pair: `chain[l]`
/// is the link's entry and the next link of the same reference (`-1` ends the chain), in entry order.
protocol ReferenceChains: Sendable {
    var chain: [(entry: Int, next: Int)] { get }
    /// The first link of `reference`'s chain.
    func firstLink(of reference: String) -> ReferenceLookup
}

/// What a `ReferenceChains` knows of a reference.
enum ReferenceLookup: Equatable {
    /// The first link of its chain.
    case link(Int)
    /// No entry holds it.
    case absent
    /// This table cannot tell (a reference beyond ASCII asked of the table of bytes): matching starts
    /// again with the general form.
    case unknown
}

/// The general form: the references as Strings in a dictionary, equal as Strings are (a reference spelt
/// with other code points finds the same chain).
struct StringReferenceChains: ReferenceChains {
    private(set) var chain: [(entry: Int, next: Int)] = []
    private var firstEntry: [String: Int] = [:]

    init(_ parents: [CurrentParent]) {
        // Built in locals (see `ASCIIReferenceChains.of`).
        var chain: [(entry: Int, next: Int)] = []
        var firstEntry: [String: Int] = [:]
        // Sized for every reference (some entries hold several), so that neither is grown on the way.
        let references = parents.reduce(0) { count, entry in count + entry.packed.withReader { $0.list(.misContactRef).count } }
        firstEntry.reserveCapacity(references)
        chain.reserveCapacity(references)
        var lastOfChain: [Int] = []
        lastOfChain.reserveCapacity(references)
        // Through the base pointer (an entry taken out of the array is a copy of it), from the packed
        // values (the Set `misContactRef` would be built and hashed for each entry).
        parents.withUnsafeBufferPointer { buffer in
            guard let entries = buffer.baseAddress else { return }
            for entry in buffer.indices {
                // The packed values alone (a retain): a method of the pointee would copy the whole entry.
                let packed = entries[entry].packed
                packed.forEachString(.misContactRef) { reference in
                    let link = chain.count
                    chain.append((entry, -1))
                    if let first = firstEntry[reference] {
                        chain[lastOfChain[first]].next = link
                        lastOfChain[first] = link
                    } else {
                        firstEntry[reference] = link
                    }
                    lastOfChain.append(link)
                }
            }
        }
        self.chain = chain
        self.firstEntry = firstEntry
    }

    func firstLink(of reference: String) -> ReferenceLookup {
        firstEntry[reference].map { .link($0) } ?? .absent
    }
}

/// The same chains when every entry's references are ASCII (record references are school and contact
/// ids): an open-addressing table by hash whose slots hold the references' first 16 bytes (the rest of a
/// longer one in a buffer beside it).
/// For ASCII, equal bytes are equal Strings and the other way round, so it finds what the general form
/// finds; a reference beyond ASCII (which may equal an ASCII one as a String) is not looked up at all.
/// The general form built a String of each of 100,000 entries' references and hashed it into a
/// dictionary, then hashed each person's references again: a fifth of the main task's work after the
/// directory's read.
struct ASCIIReferenceChains: ReferenceChains {
    private(set) var chain: [(entry: Int, next: Int)] = []
    /// Open addressing by hash, linear probing, each slot holding its reference's first 16 bytes: a
    /// record reference (`<school>/<contact>`) is found, and told from the others, in its slot alone.
    private var slots: [Slot] = []
    private var mask = 0
    /// The bytes past the 16th of longer references, one after another.
    private var rest: [UInt8] = []

    private struct Slot {
        /// The reference's first 16 bytes, zero-padded.
        var head: (UInt64, UInt64) = (0, 0)
        /// Its length; -1 for an empty slot.
        var length: Int32 = -1
        /// Where its bytes past the 16th start in `rest`.
        var restStart: Int32 = 0
        /// The first and last links of its chain.
        var first: Int32 = 0
        var last: Int32 = 0
    }

    /// nil when a reference is beyond ASCII (the general form is then needed).
    /// (Built on a local value: built on `self` in a failable initialiser, with closures changing it, the
    /// debug build crashed releasing a value of it.)
    static func of(_ parents: [CurrentParent]) -> ASCIIReferenceChains? {
        var table = ASCIIReferenceChains()
        var references = 0
        parents.withUnsafeBufferPointer { buffer in
            guard let entries = buffer.baseAddress else { return }
            for entry in buffer.indices {
                let packed = entries[entry].packed
                references += packed.withReader { $0.list(.misContactRef).count }
            }
        }
        guard references < Int(Int32.max) else { return nil }
        var capacity = 16
        while capacity < 2 * references { capacity *= 2 }
        table.slots = [Slot](repeating: Slot(), count: capacity)
        table.mask = capacity - 1
        table.chain.reserveCapacity(references)
        var allASCII = true
        parents.withUnsafeBufferPointer { buffer in
            guard let entries = buffer.baseAddress else { return }
            for entry in buffer.indices where allASCII {
                // The packed values alone (a retain): a method of the pointee would copy the whole entry.
                let packed = entries[entry].packed
                packed.withReader { reader in
                    for value in reader.list(.misContactRef) {
                        guard PackedParentValues.isASCII(value), value.count < Int(Int32.max) else {
                            allASCII = false
                            return
                        }
                        table.add(value, entry: entry)
                    }
                }
            }
        }
        guard allASCII, table.rest.count < Int(Int32.max) else { return nil }
        return table
    }

    private init() {}

    /// Adds the link of `entry` to the chain of the reference with these bytes.
    private mutating func add(_ value: UnsafeRawBufferPointer, entry: Int) {
        let link = Int32(chain.count)
        chain.append((entry, -1))
        let head = Self.head(value)
        var slot = Int(truncatingIfNeeded: Self.hash(value)) & mask
        while true {
            if slots[slot].length < 0 {
                slots[slot] = Slot(head: head, length: Int32(value.count), restStart: Int32(rest.count), first: link, last: link)
                if value.count > 16 { rest.append(contentsOf: value[16...]) }
                return
            }
            if holds(slots[slot], head, value) {
                chain[Int(slots[slot].last)].next = Int(link)
                slots[slot].last = link
                return
            }
            slot = (slot + 1) & mask
        }
    }

    func firstLink(of reference: String) -> ReferenceLookup {
        PackedParentValues.withUTF8(of: reference) { value in
            guard PackedParentValues.isASCII(value) else { return .unknown }
            let head = Self.head(value)
            var slot = Int(truncatingIfNeeded: Self.hash(value)) & mask
            while true {
                if slots[slot].length < 0 { return .absent }
                if holds(slots[slot], head, value) { return .link(Int(slots[slot].first)) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether the slot's reference has exactly these bytes (`head` their first 16).
    @inline(__always)
    private func holds(_ slot: Slot, _ head: (UInt64, UInt64), _ value: UnsafeRawBufferPointer) -> Bool {
        guard Int(slot.length) == value.count, slot.head == head else { return false }
        guard value.count > 16 else { return true }
        let start = Int(slot.restStart)
        return rest.withUnsafeBytes { raw in
            PackedParentValues.same(UnsafeRawBufferPointer(rebasing: raw[start..<start + value.count - 16]), UnsafeRawBufferPointer(rebasing: value[16...]))
        }
    }

    /// The first 16 bytes, zero-padded, as two words.
    @inline(__always)
    static func head(_ value: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { out in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: value.prefix(16)))
        }
        return words
    }

    /// A 64-bit hash of the bytes, eight at a time, with a final mix so that references differing in a
    /// digit or two spread over the table.
    @inline(__always)
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 &* UInt64(value.count &+ 1)
        var offset = 0
        while offset + 8 <= value.count {
            hash = (hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < value.count {
            tail |= UInt64(value[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        hash &*= 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 29)
    }
}
