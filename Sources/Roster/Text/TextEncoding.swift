/// The encodings a source may be in, as found from its first bytes (DESIGN.md Part B: UTF-8 with or
/// without a BOM, Windows-1252, UTF-16 with a BOM).
public enum TextEncoding: String, Sendable, Hashable, Codable {
    /// UTF-8, or bytes not yet seen to be anything else. Fields that are not valid UTF-8 are read as
    /// Windows-1252 (see `FieldDecoder`).
    case utf8
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"

    /// The encoding a byte order mark announces, and the mark's length; UTF-8 without one.
    static func detect(_ prefix: ArraySlice<UInt8>) -> (TextEncoding, bomLength: Int) {
        let bytes = Array(prefix.prefix(3))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        return (.utf8, 0)
    }
}

/// A byte stream with its byte order mark removed and UTF-16 turned into UTF-8, so that the CSV and
/// XML layers above see UTF-8 (or Windows-1252) bytes only.
public struct DecodedByteStream<Input: ByteStream>: ByteStream {
    private var input: Input
    private var pending: [UInt8]?
    /// The encoding found from the byte order mark.
    public private(set) var encoding: TextEncoding = .utf8
    /// A UTF-16 code unit or surrogate split across two chunks waits here.
    private var carry: [UInt8] = []
    private var highSurrogate: UInt16?

    public init(_ input: Input) throws(RosterError) {
        self.input = input
        guard var first = try self.input.nextChunk() else { return }
        // A chunk of one or two bytes cannot show a whole BOM; read on until three bytes or the end.
        while first.count < 3, let more = try self.input.nextChunk() { first += more }
        let (encoding, bomLength) = TextEncoding.detect(first[...])
        self.encoding = encoding
        first.removeFirst(bomLength)
        pending = first
    }

    public mutating func nextChunk() throws(RosterError) -> [UInt8]? {
        while true {
            let chunk: [UInt8]
            if let pending {
                chunk = pending
                self.pending = nil
            } else if let next = try input.nextChunk() {
                chunk = next
            } else {
                return finishUTF16()
            }
            if encoding == .utf8 {
                if chunk.isEmpty { continue }
                return chunk
            }
            let decoded = transcodeUTF16(chunk)
            if !decoded.isEmpty { return decoded }
        }
    }

    private mutating func transcodeUTF16(_ chunk: [UInt8]) -> [UInt8] {
        var bytes = carry + chunk
        carry = bytes.count % 2 == 1 ? [bytes.removeLast()] : []
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let unit = encoding == .utf16LittleEndian
                ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            index += 2
            append(unit, to: &output)
        }
        return output
    }

    private mutating func append(_ unit: UInt16, to output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                output += UTF8.encode(Unicode.Scalar(scalar)!)!
                return
            }
            output += UTF8.encode("\u{FFFD}")!
        }
        if (0xD800...0xDBFF).contains(unit) {
            highSurrogate = unit
        } else if let scalar = Unicode.Scalar(unit) {
            output += UTF8.encode(scalar)!
        } else {
            output += UTF8.encode("\u{FFFD}")!
        }
    }

    /// A lone byte or high surrogate at the very end is damage: U+FFFD, as any decoder would write.
    private mutating func finishUTF16() -> [UInt8]? {
        guard encoding != .utf8, !carry.isEmpty || highSurrogate != nil else { return nil }
        carry = []
        highSurrogate = nil
        return Array(UTF8.encode("\u{FFFD}")!)
    }
}
