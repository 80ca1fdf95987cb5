import Varint

/// The bytes of an `Entry`'s attributes: one buffer, so an entry costs an allocation or two instead of a
/// String and an array for every name and value.
///
/// Attribute after attribute, in the order the server sent them:
///
///     length of the name, the name's bytes, number of values,
///     then for each value: its length, its bytes
///
/// each length and number a LEB128 varint (one byte below 128). Reading is a walk from the start, as
/// finding an attribute by name always was; a parent entry of 16 attributes and 22 values costs some 50
/// bytes more than its names and values. An entry without attributes is the empty buffer. The same names
/// and values in the same order always give the same bytes (varints are written in their shortest form),
/// which is what makes `Entry`'s `==` the attributes' equality.
struct EntryLayout {
    let raw: UnsafeRawBufferPointer

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    /// One attribute where it lies: the name, the values, and where the next attribute starts.
    struct Slot {
        var name: UnsafeRawBufferPointer
        var values: Entry.Values
        var end: Int
    }

    /// The attribute starting at `offset` (0, or an earlier slot's `end`); nil at the end.
    @inline(__always)
    func slot(at offset: Int) -> Slot? {
        guard offset < raw.count else { return nil }
        var position = offset
        let nameLength = Varint.read(raw, at: &position)
        let name = UnsafeRawBufferPointer(rebasing: raw[position..<position + nameLength])
        position += nameLength
        let count = Varint.read(raw, at: &position)
        let valuesStart = position
        for _ in 0..<count {
            let length = Varint.read(raw, at: &position)
            position += length
        }
        return Slot(name: name, values: Entry.Values(raw: UnsafeRawBufferPointer(rebasing: raw[valuesStart..<position]), count: count), end: position)
    }

    /// Calls `body` with each attribute until it returns false.
    @inline(__always)
    func forEach(_ body: (Slot) throws -> Bool) rethrows {
        var offset = 0
        while let slot = slot(at: offset) {
            guard try body(slot) else { return }
            offset = slot.end
        }
    }

    var attributeCount: Int {
        var count = 0
        forEach { _ in
            count += 1
            return true
        }
        return count
    }

    /// The first attribute called `name`, without regard to case.
    func slot(named name: String) -> Slot? {
        Self.withBytes(of: name) { wanted in
            var found: Slot?
            forEach { slot in
                if Self.sameName(slot.name, wanted) { found = slot }
                return found == nil
            }
            return found
        }
    }

    var attributes: [Attribute] {
        var attributes: [Attribute] = []
        forEach { slot in
            attributes.append(Self.attribute(slot))
            return true
        }
        return attributes
    }

    static func attribute(_ slot: Slot) -> Attribute {
        Attribute(string(slot.name), values: slot.values.map { Array($0) })
    }


    // MARK: - Writing

    /// The bytes of `attributes`.
    static func encode(_ attributes: [Attribute]) -> [UInt8] {
        var size = Size()
        for attribute in attributes {
            size.attribute(nameLength: attribute.name.utf8.count, values: attribute.values.count)
            for value in attribute.values { size.value(length: value.count) }
        }
        return write(size) { writer in
            for attribute in attributes {
                withBytes(of: attribute.name) { writer.startAttribute(named: $0, values: attribute.values.count) }
                for value in attribute.values { value.withUnsafeBytes { writer.add(value: $0) } }
            }
        }
    }

    /// These bytes with only the attributes `keep` takes (by position, name and values).
    func encode(keeping keep: (Slot) throws -> Bool) rethrows -> [UInt8] {
        var size = Size()
        var kept: [Slot] = []
        try forEach { slot in
            if try keep(slot) {
                kept.append(slot)
                size.attribute(nameLength: slot.name.count, values: slot.values.count)
                for value in slot.values { size.value(length: value.count) }
            }
            return true
        }
        return Self.write(size) { writer in
            for slot in kept {
                writer.startAttribute(named: slot.name, values: slot.values.count)
                for value in slot.values { writer.add(value: value) }
            }
        }
    }

    /// The size of a buffer, counted attribute by attribute before it is written.
    struct Size {
        var bytes = 0

        mutating func attribute(nameLength: Int, values: Int) {
            bytes += Varint.size(nameLength) + nameLength + Varint.size(values)
        }

        mutating func value(length: Int) {
            bytes += Varint.size(length) + length
        }
    }

    /// A buffer of exactly `size`, filled by `fill` (which must add what was counted).
    static func write(_ size: Size, _ fill: (inout Writer) -> Void) -> [UInt8] {
        guard size.bytes > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size.bytes) { buffer, count in
            var writer = Writer(out: UnsafeMutableRawBufferPointer(buffer))
            fill(&writer)
            precondition(writer.position == size.bytes, "entry layout: the attributes added differ from those counted")
            count = size.bytes
        }
    }

    /// Fills a buffer of a size counted beforehand.
    struct Writer {
        let out: UnsafeMutableRawBufferPointer
        var position = 0

        private mutating func put(varint value: Int) {
            Varint.write(value) { put(byte: $0) }
        }

        @inline(__always)
        private mutating func put(byte: UInt8) {
            precondition(position < out.count, "entry layout: more bytes than counted")
            out[position] = byte
            position += 1
        }

        private mutating func put(_ bytes: UnsafeRawBufferPointer) {
            precondition(out.count - position >= bytes.count, "entry layout: more bytes than counted")
            if let base = bytes.baseAddress, bytes.count > 0 {
                (out.baseAddress! + position).copyMemory(from: base, byteCount: bytes.count)
            }
            position += bytes.count
        }

        mutating func startAttribute(named name: UnsafeRawBufferPointer, values: Int) {
            put(varint: name.count)
            put(name)
            put(varint: values)
        }

        mutating func add(value bytes: UnsafeRawBufferPointer) {
            put(varint: bytes.count)
            put(bytes)
        }
    }

    // MARK: - Bytes

    /// Calls `body` with the UTF-8 bytes of `text` (in place when the string is native, as nearly all are).
    @inline(__always)
    static func withBytes<Result>(of text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let result = try text.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(text.utf8).withUnsafeBytes(body)
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count), as: UTF8.self)
    }

    /// Attribute names compared as LDAP does: byte by byte, A–Z folded to a–z, nothing else folded.
    @inline(__always)
    static func sameName(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count {
            let x = a[index]
            let y = b[index]
            if x == y { continue }
            let folded = x | 0x20
            if folded != y | 0x20 || folded < 0x61 || folded > 0x7A { return false }
        }
        return true
    }
}

/// A fixed list of attribute names, to find an entry's attribute names in without making Strings of them
/// (a run looks up a dozen names in each of 100,000 entries).
public struct AttributeNames: Sendable {
    /// The names' bytes one after another, and where each lies.
    private let bytes: [UInt8]
    private let ranges: [Range<Int>]

    public init(_ names: [String]) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for name in names {
            let start = bytes.count
            bytes += name.utf8
            ranges.append(start..<bytes.count)
        }
        self.bytes = bytes
        self.ranges = ranges
    }

    /// The position in the list of the first name equal to `name` without regard to case (as LDAP
    /// compares attribute names); nil when none is.
    public func index(of name: UnsafeRawBufferPointer) -> Int? {
        bytes.withUnsafeBytes { all in
            for (index, range) in ranges.enumerated() where range.count == name.count {
                if EntryLayout.sameName(UnsafeRawBufferPointer(rebasing: all[range]), name) { return index }
            }
            return nil
        }
    }

    public func contains(_ name: UnsafeRawBufferPointer) -> Bool { index(of: name) != nil }

    /// Calls `body` with the bytes of the name at `index`, as listed.
    func spelling<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[ranges[index]])) }
    }
}
