/// An RFC 4180 CSV reader over a byte stream: quoted fields with commas, doubled quotes and newlines
/// inside; CRLF, LF or CR line ends; a missing final line end. It tracks line and column for errors,
/// works on bytes (so UTF-8 and Windows-1252 both pass through), and holds one chunk and one record.
public struct CSVTokenizer<Input: ByteStream> {
    private var input: Input
    private var chunk: [UInt8] = []
    private var index = 0
    private var finished = false
    /// The bytes of the chunks before this one.
    private var consumed = 0
    private let separator: UInt8
    /// The physical line and character column of the next byte.
    private var line = 1
    private var column = 1

    private static var quote: UInt8 { 0x22 }
    private static var lineFeed: UInt8 { 0x0A }
    private static var carriageReturn: UInt8 { 0x0D }

    public init(_ input: Input, separator: UInt8 = UInt8(ascii: ",")) {
        self.input = input
        self.separator = separator
    }

    /// A tokenizer for input that starts at the start of line `firstLine` of a file (the second part of
    /// a file read in two).
    init(_ input: Input, firstLine: Int) {
        self.init(input)
        line = firstLine
    }

    /// The line of the next byte.
    var currentLine: Int { line }

    /// How many bytes of the input are behind the next byte.
    var offset: Int { consumed + index }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Reads the next non-blank record into `record`; `false` at the end of the input.
    /// Throws `CSVSyntaxError` for a malformed record (and stands at the next line), or the stream's
    /// `RosterError` when the bytes cannot be read.
    public mutating func next(into record: inout CSVRecord) throws -> Bool {
        while true {
            guard try peek() != nil else { return false }
            try readRecord(into: &record)
            // A line holding nothing at all is not a record (blank lines between rows, a final blank line).
            if record.isEmptyLine { continue }
            return true
        }
    }

    private mutating func readRecord(into record: inout CSVRecord) throws {
        if readOneLine(into: &record) { return }
        record.reset(line: line)
        var state = State.fieldStart
        var quoteLine = line
        var quoteColumn = column
        while true {
            if state == .unquoted || state == .quoted { appendOrdinaryRun(into: &record) }
            guard let byte = try take() else { break }
            switch state {
            case .fieldStart:
                if byte == Self.quote {
                    state = .quoted
                    quoteLine = line
                    quoteColumn = column - 1
                } else if byte == separator {
                    record.endField()
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endLine(after: byte)
                    record.endField()
                    return
                } else {
                    record.bytes.append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == separator {
                    record.endField()
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endLine(after: byte)
                    record.endField()
                    return
                } else if byte == Self.quote {
                    throw try recover(reason: "a quote inside a field that does not start with one")
                } else {
                    record.bytes.append(byte)
                }
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    // A line end inside quotes is part of the field, kept as written (CR, LF or CRLF).
                    record.bytes.append(byte)
                    if byte == Self.carriageReturn, try peek() == Self.lineFeed {
                        record.bytes.append(try take()!)
                    }
                    if byte == Self.lineFeed || byte == Self.carriageReturn {
                        line += 1
                        column = 1
                    }
                }
            case .quoteInQuoted:
                if byte == Self.quote {
                    record.bytes.append(byte)
                    state = .quoted
                } else if byte == separator {
                    record.endField()
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endLine(after: byte)
                    record.endField()
                    return
                } else {
                    throw try recover(reason: "text after the closing quote of a field")
                }
            }
        }
        if state == .quoted {
            throw CSVSyntaxError(
                line: quoteLine, column: quoteColumn,
                reason: "a quoted field is never closed (the quote opens here and the file ends inside it)",
                isFatal: true)
        }
        record.endField()
    }

    /// The common record, read without deciding byte by byte: one whole line inside the current chunk,
    /// whose fields are unquoted, or quoted without a quote or line break inside. The line is copied into
    /// `record` in one go and its fields point into it. Anything else (a doubled quote, a line break
    /// inside quotes, a syntax error, a line running past the chunk or the end of the file) returns
    /// `false` having moved nothing, and `readRecord` reads the record byte by byte as before, so
    /// records, line numbers and errors are the same either way.
    private mutating func readOneLine(into record: inout CSVRecord) -> Bool {
        // A record starts at the start of a line; the guard keeps columns right if that ever changes.
        guard column == 1, index < chunk.count else { return false }
        let separator = self.separator
        // Every byte above this one is ordinary: one comparison decides most bytes.
        let highestSpecial = max(separator, Self.quote, Self.carriageReturn)
        let start = index
        // The field bounds are written in place; a line with more fields than there is room for is
        // read the slow way, which makes room.
        let found: (end: Int, fields: Int)? = chunk.withUnsafeBufferPointer { buffer in
            record.starts.withUnsafeMutableBufferPointer { starts in
                record.ends.withUnsafeMutableBufferPointer { ends in
                    let count = buffer.count
                    var position = start
                    var field = 0
                    while true {
                        guard field < starts.count else { return nil }
                        var byte: UInt8
                        if buffer[position] == Self.quote {
                            var end = position + 1
                            while end < count {
                                let next = buffer[end]
                                if next <= highestSpecial,
                                    next == Self.quote || next == Self.lineFeed || next == Self.carriageReturn
                                {
                                    break
                                }
                                end += 1
                            }
                            guard end < count, buffer[end] == Self.quote, end + 1 < count else { return nil }
                            starts[field] = position + 1 - start
                            ends[field] = end - start
                            position = end + 1
                            byte = buffer[position]
                        } else {
                            var end = position
                            while end < count {
                                let next = buffer[end]
                                if next <= highestSpecial,
                                    next == separator || next == Self.quote || next == Self.lineFeed
                                        || next == Self.carriageReturn
                                {
                                    break
                                }
                                end += 1
                            }
                            guard end < count else { return nil }
                            byte = buffer[end]
                            if byte == Self.quote { return nil }
                            starts[field] = position - start
                            ends[field] = end - start
                            position = end
                        }
                        field += 1
                        if byte == separator {
                            position += 1
                            // A separator last in the chunk: the next field may run on past it.
                            guard position < count else { return nil }
                            continue
                        }
                        if byte == Self.lineFeed { return (position + 1, field) }
                        // Text after a closing quote is a syntax error, read the slow way.
                        guard byte == Self.carriageReturn, position + 1 < count else { return nil }
                        return (buffer[position + 1] == Self.lineFeed ? position + 2 : position + 1, field)
                    }
                }
            }
        }
        guard let found else { return false }
        record.reset(line: line)
        record.setFieldCount(found.fields)
        chunk.withUnsafeBufferPointer { buffer in
            record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<found.end]))
        }
        index = found.end
        line += 1
        return true
    }

    /// Copies the bytes up to the next separator, quote or line end of the chunk into the field in one
    /// go: most bytes of a CSV need no decision, and deciding byte by byte cost as much as the rest of
    /// reading a row.
    @inline(__always)
    private mutating func appendOrdinaryRun(into record: inout CSVRecord) {
        let start = index
        var end = index
        var characters = 0
        let separator = self.separator
        chunk.withUnsafeBufferPointer { buffer in
            while end < buffer.count {
                let byte = buffer[end]
                if byte == separator || byte == Self.quote || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                // Columns count characters: UTF-8 continuation bytes do not start one.
                if byte & 0xC0 != 0x80 { characters += 1 }
                end += 1
            }
            // From the buffer, not an `ArraySlice`: the generic slice append cost a fifth of tokenizing.
            if end > start { record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end])) }
        }
        guard end > start else { return }
        index = end
        column += characters
    }

    /// Counts the line end just taken; a CR followed by LF is one line end.
    private mutating func endLine(after byte: UInt8) {
        if byte == Self.carriageReturn, (try? peek()) == Self.lineFeed { _ = try? take() }
        line += 1
        column = 1
    }

    /// Builds the error for the byte just taken and skips the rest of its physical line, so that the
    /// next record starts on the next line.
    private mutating func recover(reason: String) throws -> CSVSyntaxError {
        let error = CSVSyntaxError(line: line, column: column - 1, reason: reason, isFatal: false)
        while let byte = try take() {
            if byte == Self.lineFeed || byte == Self.carriageReturn {
                endLine(after: byte)
                break
            }
        }
        return error
    }

    @inline(__always)
    private mutating func take() throws -> UInt8? {
        if index == chunk.count, try !refill() { return nil }
        let byte = chunk[index]
        index += 1
        // Columns count characters: UTF-8 continuation bytes do not start one.
        if byte & 0xC0 != 0x80 { column += 1 }
        return byte
    }

    @inline(__always)
    private mutating func peek() throws -> UInt8? {
        if index == chunk.count, try !refill() { return nil }
        return chunk[index]
    }

    private mutating func refill() throws -> Bool {
        guard !finished else { return false }
        guard let next = try input.nextChunk() else {
            finished = true
            consumed += chunk.count
            chunk = []
            index = 0
            return false
        }
        consumed += chunk.count
        chunk = next
        index = 0
        return true
    }
}
