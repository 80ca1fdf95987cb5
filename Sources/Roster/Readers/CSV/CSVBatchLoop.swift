import Foundation

/// The walk `CSVReader` makes over one file, on both cores: this thread tokenizes the file into
/// batches of records and applies what the rows said to the builder, in file order; worker threads
/// turn the batches' rows into pupils, contacts and links (`RowEvents`) meanwhile. Reading a row is
/// most of the cost of reading a file, and it needs nothing from the rows before it except the
/// builder, which only this thread touches.
///
/// The result is the one reading the rows one after another gives (`CSVFileLoop`): the same
/// records, warnings and errors in the same order, and reading stops at the same row once the
/// builder has too many errors. A file of one batch is read on this thread alone.
enum CSVBatchLoop {
    /// Records a batch holds: enough that handing one over costs little beside reading it, few
    /// enough that the batches in flight stay small.
    static let defaultRecordsPerBatch = 2048
    /// Batches handed out and not yet applied, at most: bounds memory when the workers run ahead.
    private static let batchesInFlight = 6
    private static let workers = 2

    /// Reads `stream` as the file `name`. `accept` checks the header (throwing, say, a missing
    /// column stops the file) and gives the row reader for the file's layout.
    static func run(
        _ stream: some ByteStream, name: String, into builder: inout RosterBuilder,
        recordsPerBatch: Int = defaultRecordsPerBatch,
        accept: (_ headers: [String], _ location: SourceLocation) throws(RosterError) -> CSVRowReader
    ) {
        var firstLegacyField: SourceLocation?
        defer {
            if let firstLegacyField {
                builder.warn(.legacyEncoding, "the file is not valid UTF-8; read as Windows-1252", at: firstLegacyField)
            }
        }
        do {
            var tokenizer = CSVTokenizer(try DecodedByteStream(stream))
            var record = CSVRecord()
            var decoder = FieldDecoder()
            do {
                guard try tokenizer.next(into: &record) else {
                    builder.record(RosterError(.empty, at: SourceLocation(file: name)))
                    return
                }
            } catch let error as CSVSyntaxError {
                builder.record(CSVFileLoop.syntaxError(error, name))
                return
            }
            let headers = (0..<record.count).map { record.field($0, file: name, decoder: &decoder).trimmingWhitespace() }
            firstLegacyField = decoder.firstLegacyField
            var reader = CSVBatchReader(
                rows: try accept(headers, SourceLocation(file: name, line: record.line)), headers: headers, file: name)

            var pipeline: CSVBatchPipeline?
            defer { pipeline?.close() }
            var submitted = 0
            var applied = 0
            var ended = false
            var full = false
            /// An error reading the bytes themselves, recorded after the rows before it.
            var streamError: (any Error)?
            func apply(_ result: BatchResult) {
                if firstLegacyField == nil { firstLegacyField = result.firstLegacyField }
                full = !result.events.replay(into: &builder)
                applied += 1
            }
            while !ended, !full {
                var batch = RecordBatch()
                while batch.items.count < recordsPerBatch {
                    do {
                        guard try tokenizer.next(into: &record) else {
                            ended = true
                            break
                        }
                        batch.append(record)
                    } catch let error as CSVSyntaxError {
                        batch.items.append(.syntaxError(error))
                        if error.isFatal {
                            ended = true
                            break
                        }
                    } catch {
                        streamError = error
                        ended = true
                        break
                    }
                }
                if batch.items.isEmpty { break }
                if submitted == 0, ended {
                    // The whole file in one batch: no threads for a file this small.
                    submitted = 1
                    apply(reader.read(batch))
                    break
                }
                let workers = pipeline ?? CSVBatchPipeline(reader: reader, workers: Self.workers)
                pipeline = workers
                workers.submit(batch, number: submitted)
                submitted += 1
                while !full, applied < submitted,
                    submitted - applied >= Self.batchesInFlight || workers.isReady(applied)
                {
                    apply(workers.result(applied))
                }
            }
            while !full, applied < submitted, let workers = pipeline {
                apply(workers.result(applied))
            }
            if !full, let streamError { throw streamError }
        } catch let error as RosterError {
            builder.record(error)
        } catch {
            builder.record(RosterError(.unreadable(reason: "\(error)"), at: SourceLocation(file: name)))
        }
    }
}

/// Records as the tokenizer found them, with the syntax errors between them, in file order: what a
/// worker is handed. One buffer for all the records' bytes, so that a batch is a few allocations.
struct RecordBatch: Sendable {
    enum Item: Sendable {
        case record(line: Int, bytes: Range<Int>, fields: Range<Int>)
        case syntaxError(CSVSyntaxError)
    }

    private(set) var bytes: [UInt8] = []
    /// Field ends, each relative to the start of its record's bytes (as `CSVRecord.ends`).
    private(set) var ends: [Int] = []
    var items: [Item] = []

    mutating func append(_ record: CSVRecord) {
        let byteStart = bytes.count
        let fieldStart = ends.count
        bytes.append(contentsOf: record.bytes)
        ends.append(contentsOf: record.ends)
        items.append(.record(line: record.line, bytes: byteStart..<bytes.count, fields: fieldStart..<ends.count))
    }

    /// Puts one record of the batch back into `record`.
    func load(line: Int, bytes range: Range<Int>, fields: Range<Int>, into record: inout CSVRecord) {
        record.reset(line: line)
        bytes.withUnsafeBufferPointer { record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        ends.withUnsafeBufferPointer { record.ends.append(contentsOf: UnsafeBufferPointer(rebasing: $0[fields])) }
    }
}

/// What a worker made of one batch.
struct BatchResult: Sendable {
    var events: RowEvents
    /// The first field of the batch that was not valid UTF-8.
    var firstLegacyField: SourceLocation?
}

/// Reads a batch's rows as `CSVFileLoop` reads them: blank rows skipped, rows with the wrong number
/// of fields and syntax errors recorded, the rest read by the row reader.
struct CSVBatchReader: Sendable {
    var rows: CSVRowReader
    let headers: [String]
    let file: String

    mutating func read(_ batch: RecordBatch) -> BatchResult {
        // The batch before this one may have been read elsewhere: its last row is not this one's neighbour.
        rows.forgetPreviousRow()
        var events = RowEvents()
        var decoder = FieldDecoder()
        var record = CSVRecord()
        for item in batch.items {
            switch item {
            case .syntaxError(let error):
                events.record(CSVFileLoop.syntaxError(error, file))
            case .record(let line, let bytes, let fields):
                batch.load(line: line, bytes: bytes, fields: fields, into: &record)
                if record.isBlank { continue }
                if let error = CSVFileLoop.fieldCountError(record, headers: headers, name: file) {
                    events.record(error)
                } else {
                    rows.read(record, decoder: &decoder, into: &events)
                }
            }
            events.endRow()
        }
        return BatchResult(events: events, firstLegacyField: decoder.firstLegacyField)
    }
}

/// Worker threads that read batches, and the results they leave, by batch number.
///
/// A lock and a condition rather than tasks: the readers are synchronous all the way up (the
/// command reads its sources before anything else happens), and blocking a cooperative-pool thread
/// to wait for a result is not allowed.
final class CSVBatchPipeline: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [(number: Int, batch: RecordBatch)] = []
    private var results: [Int: BatchResult] = [:]
    private var closed = false

    init(reader: CSVBatchReader, workers: Int) {
        for _ in 0..<workers {
            let thread = Thread { [self, reader] in
                var reader = reader
                self.work(&reader)
            }
            thread.start()
        }
    }

    func submit(_ batch: RecordBatch, number: Int) {
        condition.lock()
        waiting.append((number, batch))
        condition.signal()
        condition.unlock()
    }

    func isReady(_ number: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return results[number] != nil
    }

    /// Batch `number`'s result, waiting for it if need be.
    func result(_ number: Int) -> BatchResult {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = results.removeValue(forKey: number) { return result }
            condition.wait()
        }
    }

    /// Lets the workers end; batches not yet started are dropped.
    func close() {
        condition.lock()
        closed = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func work(_ reader: inout CSVBatchReader) {
        while true {
            condition.lock()
            while waiting.isEmpty, !closed { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            let job = waiting.removeFirst()
            condition.unlock()
            let result = reader.read(job.batch)
            condition.lock()
            results[job.number] = result
            condition.broadcast()
            condition.unlock()
        }
    }
}
