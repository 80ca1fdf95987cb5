import Foundation

/// `AttributeNames.index(of:)` for the attributes of entries read one after another.
///
/// A server sends nearly every entry of a search with the same attribute names in the same order (slapd
/// keeps each entry's attributes in the order they were first written, and a run writes them alike), so
/// the name at each position is first compared byte for byte with the name at that position in the entry
/// before, whose answer is kept. A name that differs is looked up (`find(_:in:)`, the general form) and
/// its answer kept in turn: entries in another order, with more or fewer attributes or names in another
/// case get the same answers, only more slowly (`AttributeNameLookupTests`).
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
    /// The names of the entry before, one after another, and where each lies, by position.
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private var answers: [Found] = []

    public init(_ names: AttributeNames) {
        self.names = names
    }

    /// What is known of `name`, the attribute at `position` (0 for an entry's first, then 1, 2, …) of the
    /// entry being read.
    @inline(__always)
    public mutating func find(_ name: UnsafeRawBufferPointer, at position: Int) -> Found {
        if position < ranges.count, Self.equal(bytes, ranges[position], name) { return answers[position] }
        return remember(name, at: position)
    }

    /// The general form: what is known of `name` from the list alone.
    public static func find(_ name: UnsafeRawBufferPointer, in names: AttributeNames) -> Found {
        let index = names.index(of: name)
        return Found(
            index: index, isASCII: name.allSatisfy { $0 < 0x80 },
            isSpelledAsListed: index.map { names.isSpelled(name, as: $0) } ?? false)
    }

    /// Looks `name` up and keeps the answer for the entries after.
    private mutating func remember(_ name: UnsafeRawBufferPointer, at position: Int) -> Found {
        let found = Self.find(name, in: names)
        // Names replaced leave their bytes behind: start afresh once they are many.
        if bytes.count > 4_096 {
            let kept = ranges.map { Array(bytes[$0]) }
            bytes.removeAll(keepingCapacity: true)
            ranges = kept.map { name in
                let start = bytes.count
                bytes += name
                return start..<bytes.count
            }
        }
        let start = bytes.count
        bytes.append(contentsOf: name)
        let range = start..<bytes.count
        if position < ranges.count {
            ranges[position] = range
            answers[position] = found
        } else {
            // Positions come in order; one skipped (never, as callers walk) is kept as an empty name.
            while ranges.count < position {
                ranges.append(start..<start)
                answers.append(Self.find(UnsafeRawBufferPointer(start: nil, count: 0), in: names))
            }
            ranges.append(range)
            answers.append(found)
        }
        return found
    }

    @inline(__always)
    private static func equal(_ bytes: [UInt8], _ range: Range<Int>, _ name: UnsafeRawBufferPointer) -> Bool {
        guard range.count == name.count else { return false }
        guard let base = name.baseAddress, !range.isEmpty else { return true }
        return bytes.withUnsafeBytes { all in memcmp(all.baseAddress! + range.lowerBound, base, range.count) == 0 }
    }
}

extension AttributeNames {
    /// Whether `name`'s bytes are exactly those of the name at `index`.
    func isSpelled(_ name: UnsafeRawBufferPointer, as index: Int) -> Bool {
        spelling(at: index) { $0.elementsEqual(name) }
    }
}
