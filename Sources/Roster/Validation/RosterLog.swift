import Foundation

/// A part of a file's rows read ahead into a log rather than the builder: the records, warnings and
/// errors in the order the rows gave them, so that adding them to the builder afterwards (`replay`)
/// does exactly what reading the rows into the builder would have done, duplicate merging, its
/// warnings and the error limit included.
///
/// A contact without an id needs the builder's positional references, which depend on every row
/// before it: the log cannot give one, marks itself `needsBuilder`, and stops.
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

    init(errorLimit: Int) {
        self.errorLimit = max(1, errorLimit)
    }

    /// Once more errors are logged than the builder keeps, the builder is full by the last of them:
    /// reading further would be thrown away.
    var isFull: Bool { needsBuilder || errors.count > errorLimit }
    var warningCount: Int { warnings.count }
    var errorCount: Int { errors.count }

    mutating func beginRecord(legacySeen: Bool) {
        if legacySeen, legacyStep == nil { legacyStep = steps.count }
        steps.append(.record)
    }

    /// Notes a Windows-1252 field in the last record (no `beginRecord` follows it).
    mutating func finish(legacySeen: Bool) {
        if legacySeen, legacyStep == nil { legacyStep = steps.count }
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
        needsBuilder = true
        return .position(0, of: pupil)
    }

    /// Adds everything logged to `builder` in order, stopping where reading into the builder would
    /// have stopped (the builder full at the start of a record). Returns whether the first
    /// Windows-1252 field logged was reached. Records are moved out of the log, not copied: replay once.
    mutating func replay(into builder: inout RosterBuilder) -> Bool {
        var warning = 0
        var error = 0
        var stop = steps.count
        for (index, step) in steps.enumerated() {
            switch step {
            case .record:
                if builder.isFull { stop = index }
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
        return legacyStep.map { stop >= $0 } ?? false
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
