/// One CSV record's fields as bytes, reused from row to row so that reading a large file does not
/// allocate per row. Read a field with `FieldDecoder`.
public struct CSVRecord {
    /// The line the record starts on (a quoted field may carry it onto later lines).
    public internal(set) var line = 0
    /// The record's bytes; field `i` is `bytes[starts[i]..<ends[i]]`. The byte-by-byte tokenizer
    /// writes fields one after another; the one-line fast path copies the line as it is (separators
    /// and quotes included) in one go and points into it.
    var bytes: [UInt8] = []
    /// Field bounds; only the first `count` are the record's. The arrays never shrink, so that the
    /// one-line fast path writes bounds in place rather than appending (a uniqueness and capacity
    /// check per field cost more than finding the field).
    var starts: [Int] = Array(repeating: 0, count: 64)
    var ends: [Int] = Array(repeating: 0, count: 64)
    /// How many fields the record has.
    public private(set) var count = 0
    /// Where the field being written byte by byte starts.
    private var fieldStart = 0

    public init() {
        bytes.reserveCapacity(4096)
    }

    /// True for a line holding nothing at all: one empty field.
    var isEmptyLine: Bool { count == 1 && starts[0] == ends[0] }

    /// True when every field is empty or white space: Excel's trailing `,,,,` rows, blank lines.
    public var isBlank: Bool {
        bytes.withUnsafeBufferPointer { buffer in
            for field in 0..<count {
                for position in starts[field]..<ends[field] where !Self.isBlankByte(buffer[position]) { return false }
            }
            return true
        }
    }

    /// True when field `index` is absent, empty or only white space; answered from the bytes.
    public func isBlank(field index: Int) -> Bool {
        guard index < count else { return true }
        return bytes[starts[index]..<ends[index]].allSatisfy(Self.isBlankByte)
    }

    @inline(__always)
    private static func isBlankByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Field `index` decoded (empty when the record is shorter), with a location naming the field's
    /// 1-based column for the legacy-encoding warning.
    public func field(_ index: Int, file: String, decoder: inout FieldDecoder) -> String {
        guard index < count else { return "" }
        let start = starts[index]
        let end = ends[index]
        if start == end { return "" }
        let line = self.line
        return bytes.withUnsafeBufferPointer { buffer in
            decoder.string(
                UnsafeBufferPointer(rebasing: buffer[start..<end]),
                at: SourceLocation(file: file, line: line, column: index + 1))
        }
    }

    /// Field `index` without surrounding white space, decoded; `nil` when absent or blank. Trimming
    /// the bytes before decoding makes one string per field, not two.
    public func trimmedField(_ index: Int, file: String, decoder: inout FieldDecoder) -> String? {
        guard index < count else { return nil }
        var start = starts[index]
        var end = ends[index]
        while start < end, Self.isTrimmable(bytes[start]) { start += 1 }
        while end > start, Self.isTrimmable(bytes[end - 1]) { end -= 1 }
        // A no-break space (C2 A0) at either end is trimmed too, rarely enough to go the slow way.
        if start == end { return nil }
        let line = self.line
        let text = bytes.withUnsafeBufferPointer { buffer in
            decoder.string(
                UnsafeBufferPointer(rebasing: buffer[start..<end]),
                at: SourceLocation(file: file, line: line, column: index + 1))
        }
        if bytes[start] == 0xC2 || bytes[end - 1] == 0xA0 || bytes[start] == 0xA0 {
            let trimmed = text.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        return text
    }

    /// What field `index` holds, told from its bytes without making a string.
    enum Content {
        /// Absent, or only white space.
        case blank
        /// ASCII, with these bounds in `bytes` once white space is trimmed.
        case ascii(Range<Int>)
        /// Other bytes (UTF-8 or Windows-1252 text, a no-break space): read with `trimmedField`.
        case text
    }

    /// What field `index` holds. ASCII is the usual case, and its bytes are the text: such values
    /// can be parsed (flags, dates) or looked up (repeated values) without decoding first.
    func content(_ index: Int) -> Content {
        guard index < count else { return .blank }
        var start = starts[index]
        var end = ends[index]
        return bytes.withUnsafeBufferPointer { buffer in
            while start < end, Self.isTrimmable(buffer[start]) { start += 1 }
            while end > start, Self.isTrimmable(buffer[end - 1]) { end -= 1 }
            if start == end { return .blank }
            for position in start..<end where buffer[position] >= 0x80 { return .text }
            return .ascii(start..<end)
        }
    }

    /// The bounds of field `index` in `bytes`, untrimmed; empty when the record is shorter.
    func bounds(_ index: Int) -> Range<Int> {
        guard index < count else { return 0..<0 }
        return starts[index]..<ends[index]
    }

    /// Calls `body` with the bytes in `range` (from `content`).
    func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    @inline(__always)
    private static func isTrimmable(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    mutating func reset(line: Int) {
        self.line = line
        bytes.removeAll(keepingCapacity: true)
        count = 0
        fieldStart = 0
    }

    /// Ends the field being written byte by byte at the bytes written so far; the next starts there.
    mutating func endField() {
        if count == starts.count {
            starts.append(fieldStart)
            ends.append(bytes.count)
        } else {
            starts[count] = fieldStart
            ends[count] = bytes.count
        }
        count += 1
        fieldStart = bytes.count
    }

    /// Sets the fields to the bounds the one-line fast path wrote into `starts` and `ends`.
    mutating func setFieldCount(_ count: Int) {
        self.count = count
    }
}

/// A record that breaks RFC 4180. The tokenizer skips to the next line and goes on, so that every
/// such row in a file is reported in one run.
public struct CSVSyntaxError: Error, Sendable, Hashable {
    /// The line where the problem is seen (where the quote opened, for an unclosed one).
    public var line: Int
    /// The character column where the problem is seen.
    public var column: Int
    /// What is wrong, for a person.
    public var reason: String
    /// True when the error ended the file (an unclosed quote): nothing after it can be read.
    public var isFatal: Bool
}
