import Foundation

/// `AttributeNames.index(of:)` for the attributes of many entries, which nearly all carry the same few
/// dozen names.
///
/// Each name met is kept with its answer in a small table, found by a hash of a few of its bytes and
/// compared byte for byte: a name met before (in any entry, at any position) costs a hash and a `memcmp`.
/// A name not in the table is looked up (`find(_:in:)`, the general form) and takes a place in it, the
/// place's older name moving to the second way of its slot; names longer than a table place, or empty,
/// are looked up each time. Every answer is the general form's (`AttributeNameLookupTests`).
///
/// A run looks up some 20 names in each of 215,000 entries; comparing each against a list of 17 names,
/// without regard to case, was a tenth of the directory read's CPU.
public struct AttributeNameLookup: Sendable {
    /// What is known of one name.
    public struct Found: Sendable, Equatable {
        /// The position in the list of the first name equal to it without regard to case; nil when none is.
        public var index: Int?
        /// Whether every byte is ASCII (RFC 4512 names are).
        public var isASCII: Bool
        /// Whether its bytes are exactly those of the list's name at `index` (the case as listed).
        public var isSpelledAsListed: Bool
    }

    public let names: AttributeNames
    /// False for the general form: every name looked up, nothing kept (no table made).
    private let remembers: Bool
    /// Slots of two ways each: a name's place is `slot` (first way) or `slot + slots` (second).
    private static let slots = 256
    /// The longest name kept (attribute names are a dozen bytes or so).
    private static let width = 32
    /// Each place's name, `width` bytes a place, and its length (0: the place is empty).
    private var bytes: [UInt8]
    private var lengths: [UInt8]
    private var answers: [Found]

    /// A lookup that keeps the names it meets (`remembering`), or one that looks every name up.
    public init(_ names: AttributeNames, remembering: Bool = true) {
        self.names = names
        remembers = remembering
        let places = remembering ? 2 * Self.slots : 0
        bytes = [UInt8](repeating: 0, count: places * Self.width)
        lengths = [UInt8](repeating: 0, count: places)
        answers = [Found](repeating: Found(index: nil, isASCII: true, isSpelledAsListed: false), count: places)
    }

    /// What is known of `name`.
    @inline(__always)
    public mutating func find(_ name: UnsafeRawBufferPointer) -> Found {
        let count = name.count
        guard remembers, count > 0, count <= Self.width, let base = name.baseAddress else { return Self.find(name, in: names) }
        let slot = Self.slot(base, count)
        if holds(slot, base, count) { return answers[slot] }
        if holds(slot + Self.slots, base, count) { return answers[slot + Self.slots] }
        return remember(name, slot)
    }

    /// The general form: what is known of `name` from the list alone.
    public static func find(_ name: UnsafeRawBufferPointer, in names: AttributeNames) -> Found {
        let index = names.index(of: name)
        return Found(
            index: index, isASCII: name.allSatisfy { $0 < 0x80 },
            isSpelledAsListed: index.map { names.isSpelled(name, as: $0) } ?? false)
    }

    /// Looks `name` up and keeps it in its slot's first way, the name there moving to the second.
    private mutating func remember(_ name: UnsafeRawBufferPointer, _ slot: Int) -> Found {
        let found = Self.find(name, in: names)
        let (first, second) = (slot, slot + Self.slots)
        bytes.withUnsafeMutableBytes { all in
            let base = all.baseAddress!
            (base + second * Self.width).copyMemory(from: base + first * Self.width, byteCount: Self.width)
            (base + first * Self.width).copyMemory(from: name.baseAddress!, byteCount: name.count)
        }
        lengths[second] = lengths[first]
        answers[second] = answers[first]
        lengths[first] = UInt8(name.count)
        answers[first] = found
        return found
    }

    @inline(__always)
    private func holds(_ place: Int, _ name: UnsafeRawPointer, _ count: Int) -> Bool {
        Int(lengths[place]) == count && bytes.withUnsafeBytes { memcmp($0.baseAddress! + place * Self.width, name, count) == 0 }
    }

    /// A slot from the length and the first, second, middle and last bytes (FNV-1a over them).
    @inline(__always)
    private static func slot(_ name: UnsafeRawPointer, _ count: Int) -> Int {
        func mix(_ hash: UInt32, _ byte: UInt8) -> UInt32 { (hash ^ UInt32(byte)) &* 0x0100_0193 }
        var hash = mix(0x811C_9DC5, UInt8(truncatingIfNeeded: count))
        hash = mix(hash, name.load(as: UInt8.self))
        hash = mix(hash, name.load(fromByteOffset: count / 2, as: UInt8.self))
        hash = mix(hash, name.load(fromByteOffset: count - 1, as: UInt8.self))
        hash = mix(hash, count > 1 ? name.load(fromByteOffset: 1, as: UInt8.self) : 0)
        return Int((hash ^ hash >> 16) & UInt32(slots - 1))
    }
}

extension AttributeNames {
    /// Whether `name`'s bytes are exactly those of the name at `index`.
    func isSpelled(_ name: UnsafeRawBufferPointer, as index: Int) -> Bool {
        spelling(at: index) { $0.elementsEqual(name) }
    }
}
