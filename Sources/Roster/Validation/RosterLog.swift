import Foundation

/// A part of a file's rows read ahead into a log rather than the builder: the records, warnings and
/// errors in the order the rows gave them, so that adding them to the builder afterwards (`replay`)
/// does exactly what reading the rows into the builder would have done, duplicate merging, its
/// warnings and the error limit included.
///
/// A log made with a `RosterLogChannel` sends what it holds every so many records (`cut`), so that
/// the builder can take the first records while later ones are still being read; its counts
/// (warnings, errors, records) run on across the pieces sent.
///
/// A contact without an id needs the builder's positional references, which depend on every row
/// before it: the log cannot give one, marks itself `needsBuilder` with the record that asked
/// (`builderRecord`), and stops. Replaying stops before that record; the reader goes on from it.
struct RosterLog: RosterSink {
    private enum Step: UInt8 { case record, pupil, contact, link, warning, error }

    private var steps: [Step] = []
    private var pupils = MoveQueue<Pupil>()
    private var contacts = MoveQueue<Contact>()
    private var links = MoveQueue<ContactLink>()
    private var warnings: [RosterWarning] = []
    private var errors: [RosterError] = []
    private let errorLimit: Int
    /// The step before which the first field needing Windows-1252 was read, when one was.
    private(set) var legacyStep: Int?
    /// Where that field was.
    var firstLegacyField: SourceLocation?
    /// True when a row needed the builder itself (a positional reference): the log is incomplete.
    private(set) var needsBuilder = false
    /// The step of the record that needed the builder, in the piece that holds it.
    private var builderStep: Int?
    /// That record's number among all records begun (0 for the first), blank and broken ones included.
    private(set) var builderRecord: Int?

    /// Where pieces go, and after how many records (none: the log keeps everything).
    private let channel: RosterLogChannel?
    private let recordsPerPiece: Int
    /// Records begun in this piece, and in the pieces sent before it; their warnings and errors.
    private var records = 0
    private var recordsSent = 0
    private var warningsSent = 0
    private var errorsSent = 0
    /// Set once the receiver has stopped taking pieces: reading on would be thrown away.
    private var cancelled = false

    init(errorLimit: Int) {
        self.errorLimit = max(1, errorLimit)
        channel = nil
        recordsPerPiece = .max
    }

    /// A log that sends its records to `channel` every `recordsPerPiece` records.
    init(errorLimit: Int, sendingEvery recordsPerPiece: Int, to channel: RosterLogChannel) {
        self.errorLimit = max(1, errorLimit)
        self.channel = channel
        self.recordsPerPiece = max(1, recordsPerPiece)
    }

    /// Once more errors are logged than the builder keeps, the builder is full by the last of them:
    /// reading further would be thrown away.
    var isFull: Bool { needsBuilder || cancelled || errorCount > errorLimit }
    var warningCount: Int { warningsSent + warnings.count }
    var errorCount: Int { errorsSent + errors.count }

    mutating func beginRecord(legacySeen: Bool) {
        if records >= recordsPerPiece, let channel {
            channel.send(cut())
            cancelled = channel.isCancelled
        }
        if legacySeen, legacyStep == nil { legacyStep = steps.count }
        steps.append(.record)
        records += 1
    }

    /// Notes a Windows-1252 field in the last record (no `beginRecord` follows it), and sends the last
    /// piece when the log has a channel.
    mutating func finish(legacySeen: Bool) {
        if legacySeen, legacyStep == nil { legacyStep = steps.count }
        if let channel {
            channel.send(cut())
            channel.finish()
        }
    }

    /// The steps logged since the last cut, as a log of their own; this one goes on empty, its counts
    /// running on. A Windows-1252 field already seen is at the start of every later piece.
    private mutating func cut() -> RosterLog {
        var piece = RosterLog(errorLimit: errorLimit)
        swap(&piece.steps, &steps)
        swap(&piece.pupils, &pupils)
        swap(&piece.contacts, &contacts)
        swap(&piece.links, &links)
        swap(&piece.warnings, &warnings)
        swap(&piece.errors, &errors)
        piece.legacyStep = legacyStep
        piece.builderStep = builderStep
        recordsSent += records
        warningsSent += piece.warnings.count
        errorsSent += piece.errors.count
        records = 0
        legacyStep = nil
        builderStep = nil
        return piece
    }

    mutating func add(_ pupil: consuming Pupil) {
        steps.append(.pupil)
        pupils.append(pupil)
    }

    mutating func add(_ contact: consuming Contact) {
        steps.append(.contact)
        contacts.append(contact)
    }

    mutating func add(_ link: consuming ContactLink) {
        steps.append(.link)
        links.append(link)
    }

    mutating func warn(_ code: RosterWarning.Code, _ message: String, at location: SourceLocation?) {
        steps.append(.warning)
        warnings.append(RosterWarning(code, message, at: location))
    }

    mutating func record(_ error: RosterError) {
        steps.append(.error)
        errors.append(error)
    }

    mutating func positionalReference(for pupil: PupilReference, name: PersonName) -> ContactReference {
        if !needsBuilder {
            needsBuilder = true
            builderStep = steps.lastIndex(of: .record)
            builderRecord = recordsSent + records - 1
        }
        return .position(0, of: pupil)
    }

    /// What a replay did.
    struct Replay {
        /// The first Windows-1252 field logged was reached.
        var reachedLegacyField: Bool
        /// The replay stopped before the end: the builder was full at the start of a record, or the
        /// record that needed the builder was next.
        var stoppedEarly: Bool
    }

    /// Adds everything logged to `builder` in order, stopping where reading into the builder would
    /// have stopped (the builder full at the start of a record), or before the record that needed the
    /// builder. Records are moved out of the log, not copied: replay once.
    mutating func replay(into builder: inout RosterBuilder) -> Replay {
        var warning = 0
        var error = 0
        var stop = steps.count
        for (index, step) in steps.enumerated() {
            switch step {
            case .record:
                if builder.isFull || index == builderStep { stop = index }
            case .pupil: builder.add(pupils.take())
            case .contact: builder.add(contacts.take())
            case .link: builder.add(links.take())
            case .warning:
                builder.append(warnings[warning])
                warning += 1
            case .error:
                builder.record(errors[error])
                error += 1
            }
            if stop != steps.count { break }
        }
        return Replay(reachedLegacyField: legacyStep.map { stop >= $0 } ?? false, stoppedEarly: stop != steps.count)
    }
}

/// Pieces of a `RosterLog` passed from the thread reading ahead to the one building, in order.
final class RosterLogChannel: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pieces: [RosterLog] = []
    private var next = 0
    private var finished = false
    private var cancelled = false
    private var line: Int?

    /// Sends a piece (never waits).
    func send(_ piece: consuming RosterLog) {
        condition.lock()
        pieces.append(piece)
        condition.signal()
        condition.unlock()
    }

    /// No more pieces follow.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next piece, waiting for it; `nil` once every piece was taken and no more follow.
    func receive() -> RosterLog? {
        condition.lock()
        defer { condition.unlock() }
        while next == pieces.count, !finished { condition.wait() }
        guard next < pieces.count else { return nil }
        // Moved out: the channel keeps an empty log in its place.
        var piece = RosterLog(errorLimit: 1)
        swap(&piece, &pieces[next])
        next += 1
        if next == pieces.count {
            pieces.removeAll(keepingCapacity: true)
            next = 0
        }
        return piece
    }

    /// The receiver takes no more pieces: the sender may stop reading.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The line the sender's part starts on (0 when it could not count them), set before any piece.
    func setFirstLine(_ value: Int) {
        condition.lock()
        line = value
        condition.signal()
        condition.unlock()
    }

    /// Waits for `setFirstLine`.
    func firstLine() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while line == nil { condition.wait() }
        return line!
    }
}

/// Elements appended, then taken out in the same order, each moved rather than copied: a replayed
/// contact would otherwise cost a retain and a release of each of its strings. Held in fixed blocks,
/// each freed once taken, so that the log neither doubles its memory as it grows nor holds its
/// records while the builder's arrays take them over.
///
/// The blocks are mapped pages of their own (`mmap`), not `malloc`'s: freed blocks of a megabyte or so
/// stay in the allocator's heap once its mapping threshold has risen, so the log's whole size would
/// stay resident next to the builder's. Unmapped, a block taken goes back to the system at once and
/// the replay's peak is about the log's or the builder's, not both (what lets the calling thread read
/// less than half of a large file).
final class MoveQueue<Element> {
    private let blockSize = 4096
    private var blocks: [UnsafeMutablePointer<Element>] = []
    private var count = 0
    private var taken = 0

    private var blockBytes: Int { blockSize * MemoryLayout<Element>.stride }

    deinit {
        for position in taken..<count {
            (blocks[position / blockSize] + position % blockSize).deinitialize(count: 1)
        }
        // Blocks before the one holding `taken` were freed as they were emptied.
        for block in blocks[(taken / blockSize)...] { release(block) }
    }

    private func allocateBlock() -> UnsafeMutablePointer<Element> {
        let raw = mmap(nil, blockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        // As `allocate` does when `malloc` fails: nothing sensible is left to do.
        guard let raw, raw != MAP_FAILED else { fatalError("out of memory for a CSV part read ahead") }
        return raw.bindMemory(to: Element.self, capacity: blockSize)
    }

    private func release(_ block: UnsafeMutablePointer<Element>) {
        munmap(UnsafeMutableRawPointer(block), blockBytes)
    }

    func append(_ element: consuming Element) {
        precondition(taken == 0, "append after take")
        if count % blockSize == 0 { blocks.append(allocateBlock()) }
        (blocks[count / blockSize] + count % blockSize).initialize(to: element)
        count += 1
    }

    /// The first element not yet taken.
    func take() -> Element {
        precondition(taken < count, "take past the end")
        let block = taken / blockSize
        let element = (blocks[block] + taken % blockSize).move()
        taken += 1
        if taken % blockSize == 0 { release(blocks[block]) }
        return element
    }
}
