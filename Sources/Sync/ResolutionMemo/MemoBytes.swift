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
        utf8(of: value, lengthPlus: 0)
    }

    /// nil as 0, a string as its length plus one and its bytes.
    mutating func optional(_ value: String?) {
        guard let value else { return count(0) }
        utf8(of: value, lengthPlus: 1)
    }

    private mutating func utf8(of value: String, lengthPlus extra: Int) {
        var value = value
        value.withUTF8 { utf8 in
            Varint.append(utf8.count + extra, to: &bytes)
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
        Array(try take(try count()))
    }

    private mutating func text(length: Int) throws(MemoBytes.Truncated) -> String {
        String(decoding: try take(length), as: UTF8.self)
    }

    /// The next `length` bytes, which must be there.
    private mutating func take(_ length: Int) throws(MemoBytes.Truncated) -> UnsafeRawBufferPointer {
        guard length <= bytes.count - position else { throw MemoBytes.Truncated() }
        defer { position += length }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + length])
    }
}

enum MemoBytes {
    /// The bytes end before the value read, or hold one no writer writes.
    struct Truncated: Error {}
}
