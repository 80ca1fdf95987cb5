import Varint

/// Appends the memo's values as bytes: counts and lengths as varints, strings as their UTF-8.
struct MemoWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func count(_ value: Int) {
        Varint.append(value, to: &bytes)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            Varint.append(utf8.count, to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    /// nil as 0, a string as its length plus one and its bytes.
    mutating func optional(_ value: String?) {
        guard var value else { return count(0) }
        value.withUTF8 { utf8 in
            Varint.append(utf8.count + 1, to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func raw(_ value: [UInt8]) {
        count(value.count)
        bytes += value
    }

    /// Hands the bytes so far to `write` and starts again empty (the capacity kept).
    mutating func drain(_ write: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes(write)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Reads what `MemoWriter` wrote. Every read checks that the bytes hold what it asks for, and throws
/// `MemoBytes.Truncated` where they do not: a memo is used only whole, and a damaged one is resolved afresh.
struct MemoReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func count() throws(MemoBytes.Truncated) -> Int {
        guard let value = Varint.read(bytes, at: &position, end: bytes.count) else { throw MemoBytes.Truncated() }
        return value
    }

    mutating func byte() throws(MemoBytes.Truncated) -> UInt8 {
        guard position < bytes.count else { throw MemoBytes.Truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func string() throws(MemoBytes.Truncated) -> String {
        try text(length: try count())
    }

    mutating func optional() throws(MemoBytes.Truncated) -> String? {
        let length = try count()
        return length == 0 ? nil : try text(length: length - 1)
    }

    mutating func raw() throws(MemoBytes.Truncated) -> [UInt8] {
        let length = try count()
        guard length <= bytes.count - position else { throw MemoBytes.Truncated() }
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    private mutating func text(length: Int) throws(MemoBytes.Truncated) -> String {
        guard length <= bytes.count - position else { throw MemoBytes.Truncated() }
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
    }
}

enum MemoBytes {
    /// The bytes end before the value read, or hold one no writer writes.
    struct Truncated: Error {}
}
