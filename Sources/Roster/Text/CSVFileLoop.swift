/// The walk every CSV-based reader makes over one file: decode, read the header, then every row,
/// recording syntax errors and rows with the wrong number of fields in the builder and going on, so
/// that one run shows every problem in the file.
enum CSVFileLoop {
    /// Reads `stream` as the file `name`. `accept` checks the header (throwing, say, a missing
    /// column stops the file); `row` gets every non-blank, well-formed row.
    static func run<Sink: RosterSink>(
        _ stream: some ByteStream, name: String, into builder: inout Sink,
        accept: (_ headers: [String], _ location: SourceLocation) throws(RosterError) -> Void,
        row: (CSVRecord, inout FieldDecoder, inout Sink) -> Void
    ) {
        var decoder = FieldDecoder()
        defer {
            if let first = decoder.firstLegacyField {
                builder.warn(.legacyEncoding, "the file is not valid UTF-8; read as Windows-1252", at: first)
            }
        }
        do {
            var tokenizer = CSVTokenizer(try DecodedByteStream(stream))
            guard let headers = try header(&tokenizer, name: name, decoder: &decoder, into: &builder, accept: accept)
            else { return }
            _ = try rows(&tokenizer, headers: headers, name: name, decoder: &decoder, into: &builder, row: row)
        } catch {
            record(error, name: name, into: &builder)
        }
    }

    /// Reads and checks the header record; `nil` when the file ends or breaks there (recorded).
    /// Throws what `accept` throws, and the stream's errors.
    static func header<Input: ByteStream, Sink: RosterSink>(
        _ tokenizer: inout CSVTokenizer<Input>, name: String, decoder: inout FieldDecoder, into builder: inout Sink,
        accept: (_ headers: [String], _ location: SourceLocation) throws(RosterError) -> Void
    ) throws -> [String]? {
        var record = CSVRecord()
        do {
            guard try tokenizer.next(into: &record) else {
                builder.record(RosterError(.empty, at: SourceLocation(file: name)))
                return nil
            }
        } catch let error as CSVSyntaxError {
            builder.record(syntaxError(error, name))
            return nil
        }
        let headers = (0..<record.count).map { record.field($0, file: name, decoder: &decoder).trimmingWhitespace() }
        try accept(headers, SourceLocation(file: name, line: record.line))
        return headers
    }

    /// How reading a file's rows ended.
    enum End {
        /// The input ended.
        case input
        /// A syntax error nothing after can be read past (an unclosed quote).
        case fatal
        /// The sink was full.
        case full
        /// The next record starts at the offset asked to stop at.
        case stopped
    }

    /// Reads every row after the header, or those before the record that starts at input offset
    /// `stop` when one does. Throws the stream's errors.
    static func rows<Input: ByteStream, Sink: RosterSink>(
        _ tokenizer: inout CSVTokenizer<Input>, headers: [String], name: String, decoder: inout FieldDecoder,
        into builder: inout Sink, stop: Int? = nil, row: (CSVRecord, inout FieldDecoder, inout Sink) -> Void
    ) throws -> End {
        var record = CSVRecord()
        while !builder.isFull {
            if let stop, tokenizer.offset == stop { return .stopped }
            builder.beginRecord(legacySeen: decoder.firstLegacyField != nil)
            do {
                guard try tokenizer.next(into: &record) else { return .input }
            } catch let error as CSVSyntaxError {
                builder.record(syntaxError(error, name))
                if error.isFatal { return .fatal }
                continue
            }
            if record.isBlank { continue }
            if let error = fieldCountError(record, headers: headers, name: name) {
                builder.record(error)
                continue
            }
            row(record, &decoder, &builder)
        }
        return .full
    }

    /// Records an error that ended reading the file: the stream's own, or any other as unreadable.
    static func record(_ error: any Error, name: String, into builder: inout some RosterSink) {
        if let error = error as? RosterError {
            builder.record(error)
        } else {
            builder.record(RosterError(.unreadable(reason: "\(error)"), at: SourceLocation(file: name)))
        }
    }

    private static func syntaxError(_ error: CSVSyntaxError, _ name: String) -> RosterError {
        RosterError(.malformed(reason: error.reason), at: SourceLocation(file: name, line: error.line, column: error.column))
    }

    /// A row with more fields than the header, or fewer where a named column is cut off, has lost or
    /// gained a separator: its values would land in the wrong columns. Excel's trailing empty cells
    /// and empty header cells are not a problem.
    private static func fieldCountError(_ record: CSVRecord, headers: [String], name: String) -> RosterError? {
        let headerCount = headers.count
        var decoder = FieldDecoder()
        if record.count > headerCount {
            let extra = (headerCount..<record.count).first {
                !record.field($0, file: name, decoder: &decoder).trimmingWhitespace().isEmpty
            }
            guard let extra else { return nil }
            return RosterError(
                .malformed(reason: "the row has \(record.count) fields and the header \(headerCount): a value is past the last column"),
                at: SourceLocation(file: name, line: record.line, column: extra + 1))
        }
        if record.count < headerCount, let cut = (record.count..<headerCount).first(where: { !headers[$0].isEmpty }) {
            return RosterError(
                .malformed(reason: "the row has \(record.count) fields and the header \(headerCount): column \"\(headers[cut])\" is missing"),
                at: SourceLocation(file: name, line: record.line, column: cut + 1))
        }
        return nil
    }
}
