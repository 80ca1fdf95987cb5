/// Unsigned LEB128 varints, the lengths and counts of the project's packed byte forms (a directory entry's
/// layout, a current parent's packed values, the shape of an entry as read): seven bits a byte, low bits
/// first, the high bit set on every byte but the last. Values below 128 take one byte, which is nearly
/// every length these forms hold.
///
/// Written in the shortest form only, so that equal values always give equal bytes — the packed forms
/// compare and hash their buffers as bytes.
public enum Varint {
    /// Reads the varint at `position` and moves `position` past it. The bytes must hold a whole varint
    /// there: the packed forms only read what they wrote.
    @inlinable @inline(__always)
    public static func read<Bytes: RandomAccessCollection>(_ bytes: Bytes, at position: inout Int) -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var value = 0
        var shift = 0
        while true {
            let byte = bytes[position]
            position += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// The varint at `position` when the bytes before `end` hold the whole of it and it is at most nine
    /// bytes (63 bits); `position` is then moved past it. Nil otherwise, `position` unchanged: for bytes
    /// read from a file, which may end early or be damaged. (Nil with nine bytes or more before `end` means
    /// a varint no writer writes.)
    @inlinable
    public static func read<Bytes: RandomAccessCollection>(_ bytes: Bytes, at position: inout Int, end: Int) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var value = 0
        var shift = 0
        var next = position
        while next < end, shift < 63 {
            let byte = bytes[next]
            next += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 {
                position = next
                return value
            }
            shift += 7
        }
        return nil
    }

    /// Hands the bytes of `value`'s varint to `put`, in order. `value` must not be negative.
    @inlinable @inline(__always)
    public static func write(_ value: Int, _ put: (UInt8) -> Void) {
        precondition(value >= 0, "a varint holds a length or a count, never a negative number")
        var rest = value
        while rest >= 0x80 {
            put(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        put(UInt8(rest))
    }

    /// Appends `value`'s varint to `bytes`.
    @inlinable @inline(__always)
    public static func append(_ value: Int, to bytes: inout [UInt8]) {
        write(value) { bytes.append($0) }
    }

    /// How many bytes `value`'s varint takes.
    @inlinable @inline(__always)
    public static func size(_ value: Int) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }
}
