import Foundation

/// A large contacts CSV read in two parts at once (issue 3: a million rows in 3 s on two cores).
///
/// This thread reads the file from its start as always, and stops at the record that starts at the
/// split point; another thread meanwhile reads from the split point to the end into a `RosterLog`,
/// which this thread then replays into the builder. The result is the one reading on one thread gives:
///
/// - the other thread's records, warnings and errors are added in file order, through the same
///   builder, so duplicate merging, its warnings and the error limit work as on one thread;
/// - the split point is a line start chosen without knowing the quoting. If it falls inside a quoted
///   field, no record of this thread starts there: it reads on past it alone, and the other part is
///   thrown away. The same happens when the other part needed the builder (a contact without an id)
///   or counted its first line differently;
/// - line numbers: the other thread counts the line ends before the split point as the tokenizer does
///   (CR, LF and CRLF each one), and its part is used only when that count is this thread's line there.
extension CSVReader {
    /// What `readInTwoParts` did.
    enum TwoPartReading {
        /// Nothing: the file is too small, in UTF-16, unreadable, or has no line end near the middle.
        /// Read it the usual way.
        case notSplit
        /// Read, the other part's log replayed into the builder.
        case replayed
        /// Read on this thread alone: the split point was no record start, the other part needed the
        /// builder, or the file ended or broke before the split point.
        case readAlone
    }

    /// Reads `file` into `builder` in two parts when it is worth it (see `TwoPartReading`).
    func readInTwoParts(_ file: SourceFile, into builder: inout RosterBuilder) -> TwoPartReading {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 || splitAt != nil,
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? Int,
            size >= splitMinimumBytes,
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
                    rows: CSVRowReader(layout: layout, file: name, options: options), errorLimit: options.errorLimit)
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
                part.finished.wait()
                second = nil
                if part.firstLine == tokenizer.currentLine, !part.log.needsBuilder {
                    let reached = part.log.replay(into: &builder)
                    if reached { secondLegacyField = part.log.firstLegacyField }
                    return .replayed
                }
                // The other part cannot stand for this one's reading: read on alone.
                _ = try CSVFileLoop.rows(
                    &tokenizer, headers: headers, name: name, decoder: &decoder, into: &builder,
                    row: { record, decoder, builder in rows.read(record, decoder: &decoder, into: &builder) })
            }
        } catch {
            CSVFileLoop.record(error, name: name, into: &builder)
        }
        return .readAlone
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

/// The part of a file after the split point, read on its own thread into a log.
private final class SecondPart: @unchecked Sendable {
    let path: String
    let name: String
    let range: Range<Int>
    let bom: Int
    let headers: [String]
    var rows: CSVRowReader
    /// Set by `run` and read only after `finished` is signalled.
    var log: RosterLog
    var firstLine = 0
    let finished = DispatchSemaphore(value: 0)

    init(path: String, name: String, range: Range<Int>, bom: Int, headers: [String], rows: CSVRowReader, errorLimit: Int) {
        self.path = path
        self.name = name
        self.range = range
        self.bom = bom
        self.headers = headers
        self.rows = rows
        log = RosterLog(errorLimit: errorLimit)
    }

    func run() {
        defer { finished.signal() }
        guard let line = firstLineNumber() else {
            firstLine = 0
            return
        }
        firstLine = line
        var decoder = FieldDecoder()
        do {
            var tokenizer = CSVTokenizer(
                try FileByteStream(path: path, displayName: name, range: range), firstLine: firstLine)
            _ = try CSVFileLoop.rows(
                &tokenizer, headers: headers, name: name, decoder: &decoder, into: &log,
                row: { record, decoder, log in rows.read(record, decoder: &decoder, into: &log) })
        } catch {
            CSVFileLoop.record(error, name: name, into: &log)
        }
        log.finish(legacySeen: decoder.firstLegacyField != nil)
        log.firstLegacyField = decoder.firstLegacyField
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
                chunk.withUnsafeBufferPointer { bytes in
                    for byte in bytes {
                        if byte == 0x0A {
                            if !afterCR { lines += 1 }
                            afterCR = false
                        } else if byte == 0x0D {
                            lines += 1
                            afterCR = true
                        } else {
                            afterCR = false
                        }
                    }
                }
            }
        } catch {
            return nil
        }
        return lines
    }
}
