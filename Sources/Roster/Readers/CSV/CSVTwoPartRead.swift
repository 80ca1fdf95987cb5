import Foundation

/// A large contacts CSV read in two parts at once (issue 3: a million rows in 3 s on two cores).
///
/// This thread reads the file from its start as always, and stops at the record that starts at the
/// split point; another thread meanwhile reads from the split point to the end into a `RosterLog`,
/// which sends this thread its records every `recordsPerPiece` records: this thread replays them into
/// the builder as they come, most while the other thread reads on. The result is the one reading on
/// one thread gives:
///
/// - the other thread's records, warnings and errors are added in file order, through the same
///   builder, so duplicate merging, its warnings and the error limit work as on one thread;
/// - the split point is a line start chosen without knowing the quoting. If it falls inside a quoted
///   field, no record of this thread starts there: it reads on past it alone, and the other part is
///   thrown away. The same happens when the other part counted its first line differently;
/// - a row of the other part that needs the builder (a contact without an id: its positional
///   reference depends on every row before it) ends that part: this thread replays the pieces up to
///   that row, then reads on from it itself;
/// - line numbers: the other thread counts the line ends before the split point as the tokenizer does
///   (CR, LF and CRLF each one), and its part is used only when that count is this thread's line there.
extension CSVReader {
    /// What `readInTwoParts` did.
    enum TwoPartReading {
        /// Nothing: the file is too small, in UTF-16, unreadable, or has no line end near the middle.
        /// Read it the usual way.
        case notSplit
        /// Read, the other part's log replayed into the builder (up to a row that needed the builder,
        /// read on from there by this thread).
        case replayed
        /// Read on this thread alone: the split point was no record start, or the file ended or broke
        /// before the split point.
        case readAlone
    }

    /// Reads `file` into `builder` in two parts when it is worth it (see `TwoPartReading`).
    func readInTwoParts(_ file: SourceFile, into builder: inout RosterBuilder) -> TwoPartReading {
        // The size first, from `stat`: most files are far below the two-part size, and asking
        // `FileManager` for it and `ProcessInfo` for the processors cost more than reading a school's
        // file of a few hundred rows (a local authority has hundreds of them).
        guard let size = Self.fileSize(file.path), size >= splitMinimumBytes,
            Self.processorCount >= 2 || splitAt != nil,
            let head = Self.bytes(of: file.path, in: 0..<3),
            !head.starts(with: [0xFF, 0xFE]), !head.starts(with: [0xFE, 0xFF]),
            let (split, lineLength) = splitAt.map({ ($0, 0.0) })
                ?? Self.splitPoint(file.path, size: size, share: firstPartShare),
            split > 0, split < size
        else {
            return .notSplit
        }
        // The tokenizer's offsets do not count a UTF-8 byte order mark.
        let bom = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let name = file.displayName
        var decoder = FieldDecoder()
        var second: SecondPart?
        var secondLegacyField: SourceLocation?
        defer {
            // Read alone or broken off: the other part's reading would be thrown away.
            second?.channel.cancel()
            second?.finished.wait()
            if let first = decoder.firstLegacyField ?? secondLegacyField {
                builder.warn(.legacyEncoding, "the file is not valid UTF-8; read as Windows-1252", at: first)
            }
        }
        do {
            var tokenizer = CSVTokenizer(try DecodedByteStream(FileByteStream(path: file.path, displayName: name)))
            var layout: CSVLayout?
            guard
                let headers = try CSVFileLoop.header(
                    &tokenizer, name: name, decoder: &decoder, into: &builder,
                    accept: { headers, location throws(RosterError) in
                        layout = try CSVLayout.resolve(
                            headers: headers, preset: preset, columnMap: columns,
                            schoolIDGiven: options.schoolID != nil, location: location)
                    }),
                let layout
            else { return .readAlone }
            var rows = CSVRowReader(layout: layout, file: name, options: options)
            // Room for a contact and a link per line, made once: grown by doubling instead, the arrays
            // and indexes would hold their old and new storage at once while the log holds the other
            // part's records (the peak memory of a million rows), and rehash every key on the way.
            // A tenth more than the lines estimated from the split window: an array one short of room
            // doubles.
            if lineLength > 0 { builder.reserveCapacity(records: Int(1.1 * Double(size) / lineLength)) }
            // Contacts without ids take positions only the builder knows: one part would be thrown away.
            if split - bom > tokenizer.offset, layout.contactGroups.allSatisfy({ $0[.contactID] != nil }) {
                let part = SecondPart(
                    path: file.path, name: name, range: split..<size, bom: bom, headers: headers,
                    rows: CSVRowReader(layout: layout, file: name, options: options), errorLimit: options.errorLimit,
                    recordsPerPiece: recordsPerPiece)
                second = part
                let thread = Thread { part.run() }
                // The rows go no deeper than the main thread's; the default secondary stack is small.
                thread.stackSize = 8 << 20
                thread.start()
            }
            let end = try CSVFileLoop.rows(
                &tokenizer, headers: headers, name: name, decoder: &decoder, into: &builder,
                stop: second == nil ? nil : split - bom,
                row: { record, decoder, builder in rows.read(record, decoder: &decoder, into: &builder) })
            if end == .stopped, let part = second {
                guard part.channel.firstLine() == tokenizer.currentLine else {
                    // The other part cannot stand for this one's reading: read on alone.
                    part.channel.cancel()
                    part.finished.wait()
                    second = nil
                    _ = try CSVFileLoop.rows(
                        &tokenizer, headers: headers, name: name, decoder: &decoder, into: &builder,
                        row: { record, decoder, builder in rows.read(record, decoder: &decoder, into: &builder) })
                    return .readAlone
                }
                // The other part's pieces as they come: most are read while this thread replays earlier ones.
                var reached = false
                while var piece = part.channel.receive() {
                    let replay = piece.replay(into: &builder)
                    reached = reached || replay.reachedLegacyField
                    if replay.stoppedEarly { break }
                }
                part.channel.cancel()
                part.finished.wait()
                second = nil
                if reached { secondLegacyField = part.firstLegacyField }
                if let skip = part.builderRecord, !builder.isFull {
                    // A row needed the builder (a contact without an id): this thread reads on from it.
                    try readOn(
                        &tokenizer, skipping: skip, layout: layout, headers: headers, name: name, into: &builder,
                        legacyField: &secondLegacyField)
                }
                return .replayed
            }
        } catch {
            CSVFileLoop.record(error, name: name, into: &builder)
        }
        return .readAlone
    }

    /// Reads on from the split point after the other part's pieces were replayed up to its record
    /// `skip` (counted from the split point), which needed the builder: the records before it are
    /// tokenized again only to find where it starts, then the rest is read into `builder`.
    /// `legacyField` gets the first Windows-1252 field read from there when it has none.
    private func readOn<Input: ByteStream>(
        _ tokenizer: inout CSVTokenizer<Input>, skipping skip: Int, layout: CSVLayout,
        headers: [String], name: String, into builder: inout RosterBuilder, legacyField: inout SourceLocation?
    ) throws {
        var skipped = RecordSkipper(count: skip)
        var unused = FieldDecoder()
        _ = try CSVFileLoop.rows(
            &tokenizer, headers: headers, name: name, decoder: &unused, into: &skipped, row: { _, _, _ in })
        var decoder = FieldDecoder()
        // A reader of its own, as the other part had: what it remembers of earlier rows only saves work.
        var rows = CSVRowReader(layout: layout, file: name, options: options)
        defer { if legacyField == nil { legacyField = decoder.firstLegacyField } }
        _ = try CSVFileLoop.rows(
            &tokenizer, headers: headers, name: name, decoder: &decoder, into: &builder,
            row: { record, decoder, builder in rows.read(record, decoder: &decoder, into: &builder) })
    }

    /// The line ends in `bytes` as the tokenizer counts them: every CR, and every LF not right after a CR
    /// (`afterCR`: the byte before `bytes` was one; set for the next call). With `memchr` for both, which
    /// skips the bytes between line ends many at a time: a byte-by-byte loop cost the other thread about
    /// 1,400 instructions a row of the first part before it could start.
    static func lineEnds(in bytes: UnsafeBufferPointer<UInt8>, afterCR: inout Bool) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let start = UnsafeRawPointer(base)
        let end = start + bytes.count
        var count = 0
        var next = start
        while next < end, let found = memchr(next, 0x0D, end - next) {
            count += 1
            next = UnsafeRawPointer(found) + 1
        }
        next = start
        while next < end, let found = memchr(next, 0x0A, end - next) {
            let offset = UnsafeRawPointer(found) - start
            if !(offset == 0 ? afterCR : bytes[offset - 1] == 0x0D) { count += 1 }
            next = UnsafeRawPointer(found) + 1
        }
        afterCR = bytes[bytes.count - 1] == 0x0D
        return count
    }

    /// The first byte after a line end at or after `share` of the file, chosen where the lines on
    /// both sides hold an even number of quotes (likely not inside a quoted field), and the average
    /// length of the lines there; `nil` when the 64 KiB there hold no such line end.
    static func splitPoint(_ path: String, size: Int, share: Double) -> (split: Int, lineLength: Double)? {
        let target = max(1, Int(Double(size) * share))
        guard let window = bytes(of: path, in: target..<min(size, target + (64 << 10))) else { return nil }
        var lineEnds: [Int] = []
        for (position, byte) in window.enumerated() where byte == 0x0A { lineEnds.append(position) }
        func quotes(_ range: Range<Int>) -> Int { window[range].reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) } }
        guard lineEnds.count >= 3 else { return nil }
        for index in 1..<(lineEnds.count - 1) {
            let before = quotes((lineEnds[index - 1] + 1)..<lineEnds[index])
            let after = quotes((lineEnds[index] + 1)..<lineEnds[index + 1])
            if before % 2 == 0, after % 2 == 0 {
                let lineLength = Double(lineEnds.last! - lineEnds.first!) / Double(lineEnds.count - 1)
                return (target + lineEnds[index] + 1, lineLength)
            }
        }
        return nil
    }

    /// Processors this process may use, asked once.
    static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    /// The size of the regular file at `path`, or `nil` when there is none there.
    static func fileSize(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// The bytes `range` of a file, or `nil` when it cannot be read.
    static func bytes(of path: String, in range: Range<Int>) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(range.lowerBound))
            return [UInt8](try handle.read(upToCount: range.count) ?? Data())
        } catch {
            return nil
        }
    }
}

/// The part of a file after the split point, read on its own thread into a log whose pieces go to
/// the calling thread as they fill (`channel`).
private final class SecondPart: @unchecked Sendable {
    let path: String
    let name: String
    let range: Range<Int>
    let bom: Int
    let headers: [String]
    var rows: CSVRowReader
    let errorLimit: Int
    let recordsPerPiece: Int
    let channel = RosterLogChannel()
    /// Set by `run` and read only after `finished` is signalled: the first field that needed
    /// Windows-1252, and the record (from the split point) that needed the builder.
    var firstLegacyField: SourceLocation?
    var builderRecord: Int?
    let finished = DispatchSemaphore(value: 0)

    init(
        path: String, name: String, range: Range<Int>, bom: Int, headers: [String], rows: CSVRowReader,
        errorLimit: Int, recordsPerPiece: Int
    ) {
        self.path = path
        self.name = name
        self.range = range
        self.bom = bom
        self.headers = headers
        self.rows = rows
        self.errorLimit = errorLimit
        self.recordsPerPiece = recordsPerPiece
    }

    func run() {
        defer { finished.signal() }
        var log = RosterLog(errorLimit: errorLimit, sendingEvery: recordsPerPiece, to: channel)
        guard let line = firstLineNumber() else {
            channel.setFirstLine(0)
            channel.finish()
            return
        }
        channel.setFirstLine(line)
        var decoder = FieldDecoder()
        do {
            var tokenizer = CSVTokenizer(try FileByteStream(path: path, displayName: name, range: range), firstLine: line)
            _ = try CSVFileLoop.rows(
                &tokenizer, headers: headers, name: name, decoder: &decoder, into: &log,
                row: { record, decoder, log in rows.read(record, decoder: &decoder, into: &log) })
        } catch {
            CSVFileLoop.record(error, name: name, into: &log)
        }
        firstLegacyField = decoder.firstLegacyField
        builderRecord = log.builderRecord
        log.finish(legacySeen: decoder.firstLegacyField != nil)
    }

    /// 1 + the line ends before the split point, counted as the tokenizer counts them: LF, CR, and
    /// CRLF as one. `nil` when the file cannot be read.
    private func firstLineNumber() -> Int? {
        guard var stream = try? FileByteStream(path: path, displayName: name, range: bom..<range.lowerBound) else {
            return nil
        }
        var lines = 1
        var afterCR = false
        do {
            while let chunk = try stream.nextChunk() {
                lines += chunk.withUnsafeBufferPointer { CSVReader.lineEnds(in: $0, afterCR: &afterCR) }
            }
        } catch {
            return nil
        }
        return lines
    }
}

/// A sink that takes `count` records and then is full, keeping nothing: the records of the other part
/// already replayed, read again only to find where the next one starts.
private struct RecordSkipper: RosterSink {
    let count: Int
    private var begun = 0

    init(count: Int) {
        self.count = count
    }

    var isFull: Bool { begun >= count }
    var warningCount: Int { 0 }
    var errorCount: Int { 0 }
    mutating func beginRecord(legacySeen: Bool) { begun += 1 }
    mutating func add(_ pupil: consuming Pupil) {}
    mutating func add(_ contact: consuming Contact) {}
    mutating func add(_ link: consuming ContactLink) {}
    mutating func warn(_ code: RosterWarning.Code, _ message: String, at location: SourceLocation?) {}
    mutating func record(_ error: RosterError) {}
    mutating func positionalReference(for pupil: PupilReference, name: PersonName) -> ContactReference {
        .position(0, of: pupil)
    }
}
