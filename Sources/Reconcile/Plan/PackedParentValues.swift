import Varint

/// The values of a `CurrentParent` other than its DN and uid, in one byte buffer.
///
/// A run holds 100,000 managed entries through identity resolution's memory peak. As a String per
/// value and a `Set` per multi-valued attribute, each took a dozen allocations and about 1 KB; packed,
/// one allocation of a few hundred bytes. The planner's hot paths compare the bytes in place
/// (`PackedParentValues.Reader`); everything else reads the values as Strings and Sets, made when asked.
///
/// Layout, field after field in `Field` order:
///
///     a single value: 0 when absent, else its length + 1, then its bytes
///     a list: the number of values, then each value's length and bytes
///
/// each length and number a LEB128 varint (one byte below 128). A list's values are distinct and in
/// ascending order, as `Set(values).sorted()` gives them (ASCII values sorted and compared byte by byte,
/// which for ASCII is the same order and equality; any other value goes through `String`). A value that is
/// not ASCII is stored as `String(decoding:as:)` re-encodes it, so the bytes are always the String's
/// UTF-8. The same values always give the same bytes: equal buffers mean equal values.
public struct PackedParentValues: Sendable, Hashable {
    private(set) var bytes: [UInt8]

    /// The fields, in their order in the buffer: the single values, then the lists.
    public enum Field: Int, CaseIterable, Sendable {
        case misParentId, cn, sn, givenName, displayName, mail, mobile, statusReason, statusSince
        case misContactRef, misChildRef, misChild

        var isList: Bool { rawValue >= Field.misContactRef.rawValue }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The buffer of these values, singles and lists as Strings.
    init(singles: [String?], lists: [[String]]) {
        var writer = Writer()
        for value in singles { writer.appendSingle(value) }
        for values in lists { writer.appendList(values) }
        bytes = writer.bytes
    }

    func withReader<Result>(_ body: (Reader) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(Reader(raw: $0)) }
    }

    /// A single value as a String.
    func string(_ field: Field) -> String? {
        withReader { $0.single(field).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Calls `body` with each value of a list as a String, in their order in the buffer, without building
    /// an array or a Set of them.
    func forEachString(_ field: Field, _ body: (String) throws -> Void) rethrows {
        try withReader { reader in
            for value in reader.list(field) { try body(String(decoding: value, as: UTF8.self)) }
        }
    }

    /// A list's values as Strings, in their order in the buffer.
    func strings(_ field: Field) -> [String] {
        withReader { $0.list(field).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The buffer with `field` holding `value` (a single field) instead.
    mutating func set(_ field: Field, single value: String?) {
        var writer = Writer()
        writer.appendSingle(value)
        replace(field, with: writer.bytes)
    }

    /// The buffer with `field` holding `values` (a list field) instead.
    mutating func set(_ field: Field, list values: Set<String>) {
        var writer = Writer()
        writer.appendList(Array(values))
        replace(field, with: writer.bytes)
    }

    private mutating func replace(_ field: Field, with encoded: [UInt8]) {
        let range = withReader { $0.range(of: field) }
        bytes.replaceSubrange(range, with: encoded)
    }

    /// Reads the fields in place. Valid only inside `withReader`.
    struct Reader {
        let raw: UnsafeRawBufferPointer

        /// The bytes of `field`, from its first varint to its end.
        func range(of field: Field) -> Range<Int> {
            var position = 0
            for index in 0..<field.rawValue { skip(Field(rawValue: index)!, &position) }
            let start = position
            skip(field, &position)
            return start..<position
        }

        private func skip(_ field: Field, _ position: inout Int) {
            if field.isList {
                let count = Varint.read(raw, at: &position)
                for _ in 0..<count { position += Varint.read(raw, at: &position) }
            } else {
                let marker = Varint.read(raw, at: &position)
                if marker > 0 { position += marker - 1 }
            }
        }

        /// A single field's bytes; nil when absent.
        func single(_ field: Field) -> UnsafeRawBufferPointer? {
            var position = range(of: field).lowerBound
            let marker = Varint.read(raw, at: &position)
            guard marker > 0 else { return nil }
            return UnsafeRawBufferPointer(rebasing: raw[position..<position + marker - 1])
        }

        /// A list field's values.
        func list(_ field: Field) -> Values {
            var position = range(of: field).lowerBound
            let count = Varint.read(raw, at: &position)
            var end = position
            for _ in 0..<count { end += Varint.read(raw, at: &end) }
            return Values(raw: UnsafeRawBufferPointer(rebasing: raw[position..<end]), count: count)
        }

        /// Every field but the status's reason and date, in one pass over the buffer: `single` and `list`
        /// each walk it from its start, and the planner's no-op test asks for nine fields of each entry.
        @inline(__always)
        func fields() -> Fields {
            var position = 0
            func single() -> UnsafeRawBufferPointer? {
                let marker = Varint.read(raw, at: &position)
                guard marker > 0 else { return nil }
                defer { position += marker - 1 }
                return UnsafeRawBufferPointer(rebasing: raw[position..<position + marker - 1])
            }
            func list() -> Values {
                let count = Varint.read(raw, at: &position)
                let start = position
                for _ in 0..<count { position += Varint.read(raw, at: &position) }
                return Values(raw: UnsafeRawBufferPointer(rebasing: raw[start..<position]), count: count)
            }
            // In `Field` order, each read once.
            let (misParentId, cn, sn, givenName, displayName, mail, mobile) = (single(), single(), single(), single(), single(), single(), single())
            _ = (single(), single())
            let (misContactRef, misChildRef, misChild) = (list(), list(), list())
            return Fields(
                misParentId: misParentId, cn: cn, sn: sn, givenName: givenName, displayName: displayName, mail: mail,
                mobile: mobile, misContactRef: misContactRef, misChildRef: misChildRef, misChild: misChild)
        }

    }

    /// The fields `Reader.fields()` reads, as `single` and `list` give them (valid only inside `withReader`).
    struct Fields {
        let misParentId, cn, sn, givenName, displayName, mail, mobile: UnsafeRawBufferPointer?
        let misContactRef, misChildRef, misChild: Values
    }

    /// A list's values, each a buffer over its bytes (valid only inside `withReader`). Indices are byte offsets.
    struct Values: Collection {
        let raw: UnsafeRawBufferPointer
        let count: Int

        var startIndex: Int { 0 }
        var endIndex: Int { raw.count }
        var isEmpty: Bool { count == 0 }

        subscript(position: Int) -> UnsafeRawBufferPointer {
            var start = position
            let length = Varint.read(raw, at: &start)
            return UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
        }

        func index(after position: Int) -> Int {
            var start = position
            let length = Varint.read(raw, at: &start)
            return start + length
        }

        /// Whether a value has exactly `string`'s UTF-8 bytes. (A value equal to it as a String but spelt
        /// with other code points is not found: the planner's fast paths then leave the entry to the general path.)
        func contains(bytesOf string: String) -> Bool {
            PackedParentValues.withUTF8(of: string) { wanted in contains { PackedParentValues.same($0, wanted) } }
        }

        /// The position (0 for the first value) of the value with exactly `string`'s bytes, if any.
        func position(ofBytesOf string: String) -> Int? {
            PackedParentValues.withUTF8(of: string) { wanted in
                for (position, value) in enumerated() where PackedParentValues.same(value, wanted) { return position }
                return nil
            }
        }
    }

    /// Calls `body` with the UTF-8 bytes of `string` (a native String's own, else a copy).
    @inline(__always)
    static func withUTF8<Result>(of string: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let result = try string.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        var copy = string
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    /// Whether a value's bytes are exactly `string`'s.
    @inline(__always)
    static func same(_ value: UnsafeRawBufferPointer, _ string: String) -> Bool {
        withUTF8(of: string) { same(value, $0) }
    }

    @inline(__always)
    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }

    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// Builds a buffer field by field, in `Field` order.
    struct Writer {
        var bytes: [UInt8] = []

        init(capacity: Int = 0) {
            bytes.reserveCapacity(capacity)
        }

        mutating func appendVarint(_ value: Int) {
            Varint.append(value, to: &bytes)
        }

        mutating func appendSingle(_ value: String?) {
            guard let value else { return appendVarint(0) }
            let utf8 = value.utf8
            appendVarint(utf8.count + 1)
            bytes.append(contentsOf: utf8)
        }

        /// A single value from its bytes as read (re-encoded through String when not ASCII).
        mutating func appendSingle(bytes value: UnsafeRawBufferPointer?) {
            guard let value else { return appendVarint(0) }
            guard PackedParentValues.isASCII(value) else { return appendSingle(String(decoding: value, as: UTF8.self)) }
            appendVarint(value.count + 1)
            bytes.append(contentsOf: value)
        }

        /// A list from Strings: distinct, in String order.
        mutating func appendList(_ values: [String]) {
            let sorted = Set(values).sorted()
            appendVarint(sorted.count)
            for value in sorted {
                let utf8 = value.utf8
                appendVarint(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }
    }
}
