/// The walk every CSV-based reader makes over one file: decode, read the header, then every row,
/// recording syntax errors and rows with the wrong number of fields in the builder and going on, so
/// that one run shows every problem in the file.
enum CSVFileLoop {
    /// Reads `stream` as the file `name`. `accept` checks the header (throwing, say, a missing
    /// column stops the file); `row` gets every non-blank, well-formed row.
    static func run(
        _ stream: some ByteStream, name: String, into builder: inout RosterBuilder,
        accept: (_ headers: [String], _ location: SourceLocation) throws(RosterError) -> Void,
        row: (CSVRecord, inout FieldDecoder, inout RosterBuilder) -> Void
    ) {
        var decoder = FieldDecoder()
        defer {
            if let first = decoder.firstLegacyField {
                builder.warn(.legacyEncoding, "the file is not valid UTF-8; read as Windows-1252", at: first)
            }
        }
        do {
            var tokenizer = CSVTokenizer(try DecodedByteStream(stream))
            var record = CSVRecord()
            do {
                guard try tokenizer.next(into: &record) else {
                    builder.record(RosterError(.empty, at: SourceLocation(file: name)))
                    return
                }
            } catch let error as CSVSyntaxError {
                builder.record(syntaxError(error, name))
                return
            }
            let headers = (0..<record.count).map { record.field($0, file: name, decoder: &decoder).trimmingWhitespace() }
            try accept(headers, SourceLocation(file: name, line: record.line))
            while !builder.isFull {
                do {
                    guard try tokenizer.next(into: &record) else { break }
                } catch let error as CSVSyntaxError {
                    builder.record(syntaxError(error, name))
                    if error.isFatal { break }
                    continue
                }
                if record.isBlank { continue }
                if let error = fieldCountError(record, headers: headers, name: name) {
                    builder.record(error)
                    continue
                }
                row(record, &decoder, &builder)
            }
        } catch let error as RosterError {
            builder.record(error)
        } catch {
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
