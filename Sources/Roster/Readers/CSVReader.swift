/// Reads contacts CSVs: the canonical columns of DESIGN.md Part B, a vendor preset, or a `columns:`
/// map, one file after another into one roster.
public struct CSVReader: Sendable {
    public var preset: CSVPreset
    /// Field → header overrides from the config's `columns:` map; they win over the preset.
    public var columns: [CSVField: String]
    public var options: ReaderOptions

    public init(preset: CSVPreset = .canonical, columns: [CSVField: String] = [:], options: ReaderOptions = ReaderOptions()) {
        self.preset = preset
        self.columns = columns
        self.options = options
    }

    /// Reads every file; throws every error found (up to the limit) when any file fails validation.
    public func read(_ files: [SourceFile]) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        for file in files where !builder.isFull {
            do {
                read(try FileByteStream(path: file.path, displayName: file.displayName), name: file.displayName, into: &builder)
            } catch {
                builder.record(error)
            }
        }
        return try builder.finish(source: SourceLocation(file: files.first?.displayName ?? "(no file)"))
    }

    /// Reads bytes from any stream (a test fixture, a member of an archive) as the file `name`.
    public func read(_ stream: some ByteStream, name: String) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        read(stream, name: name, into: &builder)
        return try builder.finish(source: SourceLocation(file: name))
    }

    /// Reads one file into `builder`, recording its errors there rather than stopping at the first.
    public func read(_ stream: some ByteStream, name: String, into builder: inout RosterBuilder) {
        var decoder = FieldDecoder()
        defer {
            if let first = decoder.firstLegacyField {
                builder.warn(.legacyEncoding, "the file is not valid UTF-8; read as Windows-1252", at: first)
            }
        }
        do {
            var tokenizer = CSVTokenizer(try DecodedByteStream(stream))
            var record = CSVRecord()
            guard let layout = try readHeader(&tokenizer, &record, &decoder, name: name, builder: &builder) else { return }
            let rows = CSVRowReader(layout: layout, file: name, options: options)
            while !builder.isFull {
                do {
                    guard try tokenizer.next(into: &record) else { break }
                } catch let error as CSVSyntaxError {
                    builder.record(syntaxError(error, name))
                    if error.isFatal { break }
                    continue
                }
                if record.isBlank { continue }
                if let error = fieldCountError(record, layout: layout, name: name) {
                    builder.record(error)
                    continue
                }
                rows.read(record, decoder: &decoder, into: &builder)
            }
        } catch let error as RosterError {
            builder.record(error)
        } catch {
            builder.record(RosterError(.unreadable(reason: "\(error)"), at: SourceLocation(file: name)))
        }
    }

    private func readHeader<S: ByteStream>(
        _ tokenizer: inout CSVTokenizer<S>, _ record: inout CSVRecord, _ decoder: inout FieldDecoder, name: String,
        builder: inout RosterBuilder
    ) throws -> CSVLayout? {
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
        do {
            return try CSVLayout.resolve(
                headers: headers, preset: preset, columnMap: columns, schoolIDGiven: options.schoolID != nil,
                location: SourceLocation(file: name, line: record.line))
        } catch {
            builder.record(error)
            return nil
        }
    }

    private func syntaxError(_ error: CSVSyntaxError, _ name: String) -> RosterError {
        RosterError(.malformed(reason: error.reason), at: SourceLocation(file: name, line: error.line, column: error.column))
    }

    /// A row with more fields than the header, or fewer where a named column is cut off, has lost or
    /// gained a separator: its values would land in the wrong columns. Excel's trailing empty cells
    /// and empty header cells are not a problem.
    private func fieldCountError(_ record: CSVRecord, layout: CSVLayout, name: String) -> RosterError? {
        let headerCount = layout.headers.count
        var decoder = FieldDecoder()
        if record.count > headerCount {
            let extra = (headerCount..<record.count).first { !record.field($0, file: name, decoder: &decoder).trimmingWhitespace().isEmpty }
            guard let extra else { return nil }
            return RosterError(
                .malformed(reason: "the row has \(record.count) fields and the header \(headerCount): a value is past the last column"),
                at: SourceLocation(file: name, line: record.line, column: extra + 1))
        }
        if record.count < headerCount, let cut = (record.count..<headerCount).first(where: { !layout.headers[$0].isEmpty }) {
            return RosterError(
                .malformed(reason: "the row has \(record.count) fields and the header \(headerCount): column \"\(layout.headers[cut])\" is missing"),
                at: SourceLocation(file: name, line: record.line, column: cut + 1))
        }
        return nil
    }
}
