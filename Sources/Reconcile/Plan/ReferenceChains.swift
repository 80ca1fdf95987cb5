/// Every managed entry's record references (`misContactRef`), each with the entries holding it in entry
/// order: what matching looks a person's references up in (`IndexMatching.Overlaps`).
///
/// The entries holding one reference are a chain of links, one link an (entry, reference) pair: `chain[l]`
/// is the link's entry and the next link of the same reference (`-1` ends the chain), in entry order.
protocol ReferenceChains {
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
    }

    func firstLink(of reference: String) -> ReferenceLookup {
        firstEntry[reference].map { .link($0) } ?? .absent
    }
}

/// The same chains when every entry's references are ASCII (record references are school and contact
/// ids): the references' bytes in one buffer, found through an open-addressing table of their hashes.
/// For ASCII, equal bytes are equal Strings and the other way round, so it finds what the general form
/// finds; a reference beyond ASCII (which may equal an ASCII one as a String) is not looked up at all.
/// The general form built a String of each of 100,000 entries' references and hashed it into a
/// dictionary, then hashed each person's references again: a third of the main task's work after the
/// directory's read.
struct ASCIIReferenceChains: ReferenceChains {
    private(set) var chain: [(entry: Int, next: Int)] = []
    /// Each distinct reference's bytes one after another: reference `r` is `bytes[starts[r]..<starts[r + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Each distinct reference's first and last link.
    private var firstOfReference: [Int] = []
    private var lastOfReference: [Int] = []
    /// Open addressing by hash, linear probing: 0 is empty, else the reference's number + 1.
    private var slots: [Int32] = []
    private var mask = 0

    /// nil when a reference is beyond ASCII (the general form is then needed).
    init?(_ parents: [CurrentParent]) {
        var references = 0
        var length = 0
        parents.withUnsafeBufferPointer { buffer in
            guard let entries = buffer.baseAddress else { return }
            for entry in buffer.indices {
                let packed = entries[entry].packed
                packed.withReader { reader in
                    let list = reader.list(.misContactRef)
                    references += list.count
                    length += list.raw.count
                }
            }
        }
        guard references < Int(Int32.max) else { return nil }
        var capacity = 16
        while capacity < 2 * references { capacity *= 2 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        chain.reserveCapacity(references)
        bytes.reserveCapacity(length)
        starts.reserveCapacity(references + 1)
        firstOfReference.reserveCapacity(references)
        lastOfReference.reserveCapacity(references)
        var allASCII = true
        parents.withUnsafeBufferPointer { buffer in
            guard let entries = buffer.baseAddress else { return }
            for entry in buffer.indices where allASCII {
                // The packed values alone (a retain): a method of the pointee would copy the whole entry.
                let packed = entries[entry].packed
                packed.withReader { reader in
                    for value in reader.list(.misContactRef) {
                        guard PackedParentValues.isASCII(value) else {
                            allASCII = false
                            return
                        }
                        add(value, entry: entry)
                    }
                }
            }
        }
        guard allASCII else { return nil }
    }

    /// Adds the link of `entry` to the chain of the reference with these bytes.
    private mutating func add(_ value: UnsafeRawBufferPointer, entry: Int) {
        let link = chain.count
        chain.append((entry, -1))
        var slot = Int(truncatingIfNeeded: Self.hash(value)) & mask
        while true {
            let held = Int(slots[slot])
            if held == 0 {
                slots[slot] = Int32(firstOfReference.count + 1)
                firstOfReference.append(link)
                lastOfReference.append(link)
                bytes.append(contentsOf: value)
                starts.append(bytes.count)
                return
            }
            if holds(held - 1, value) {
                chain[lastOfReference[held - 1]].next = link
                lastOfReference[held - 1] = link
                return
            }
            slot = (slot + 1) & mask
        }
    }

    func firstLink(of reference: String) -> ReferenceLookup {
        PackedParentValues.withUTF8(of: reference) { value in
            guard PackedParentValues.isASCII(value) else { return .unknown }
            var slot = Int(truncatingIfNeeded: Self.hash(value)) & mask
            while true {
                let held = Int(slots[slot])
                if held == 0 { return .absent }
                if holds(held - 1, value) { return .link(firstOfReference[held - 1]) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether the distinct reference numbered `reference` has exactly these bytes.
    @inline(__always)
    private func holds(_ reference: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = starts[reference]
        guard starts[reference + 1] - start == value.count else { return false }
        return bytes.withUnsafeBytes { raw in
            PackedParentValues.same(UnsafeRawBufferPointer(rebasing: raw[start..<start + value.count]), value)
        }
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
