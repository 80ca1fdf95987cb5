/// What reading some CSV rows found, in row order, to be applied to a `RosterBuilder` later.
///
/// Rows are read into this on worker threads (`CSVBatchPipeline`) while the builder, which needs
/// every earlier row, stays on the reading thread: `replay` applies the events exactly as reading the
/// rows straight into the builder would have.
struct RowEvents: Sendable {
    enum Event: Sendable {
        case pupil(Pupil)
        case contact(Contact)
        case link(ContactLink)
        case warning(RosterWarning.Code, String, SourceLocation?)
        case error(RosterError)
        /// A contact without an id: its reference comes from the builder (`positionalReference`),
        /// which knows the pupil's earlier contacts; `placeholder` stands for it until then.
        case positional(placeholder: Int, pupil: PupilReference, name: PersonName)
        /// The end of one row: the builder may be full of errors here, and reading stops.
        case endOfRow
    }

    private(set) var events: [Event] = []
    /// Warnings and errors so far, for "did reading this row say anything".
    private(set) var warningCount = 0
    private(set) var errorCount = 0
    private var placeholders = 0

    init() {
        events.reserveCapacity(4096)
    }

    mutating func add(_ pupil: Pupil) { events.append(.pupil(pupil)) }
    mutating func add(_ contact: Contact) { events.append(.contact(contact)) }
    mutating func add(_ link: ContactLink) { events.append(.link(link)) }
    mutating func endRow() { events.append(.endOfRow) }

    mutating func warn(_ code: RosterWarning.Code, _ message: String, at location: SourceLocation?) {
        warningCount += 1
        events.append(.warning(code, message, location))
    }

    mutating func record(_ error: RosterError) {
        errorCount += 1
        events.append(.error(error))
    }

    /// A stand-in for the positional reference the builder will give: position `-n` never occurs in
    /// a real reference (positions count from 1), so `replay` finds and replaces it.
    mutating func positionalReference(for pupil: PupilReference, name: PersonName) -> ContactReference {
        placeholders += 1
        events.append(.positional(placeholder: placeholders, pupil: pupil, name: name))
        return .position(-placeholders, of: pupil)
    }

    /// Applies the events to `builder` in order; stops at the end of a row once the builder is full,
    /// as a reader stops before its next row. `false` when it stopped there.
    func replay(into builder: inout RosterBuilder) -> Bool {
        var resolved: [ContactReference] = []
        func real(_ reference: ContactReference) -> ContactReference {
            if case .position(_, let index) = reference.key, index < 0 { return resolved[-index - 1] }
            return reference
        }
        for event in events {
            switch event {
            case .pupil(let pupil): builder.add(pupil)
            case .contact(var contact):
                contact.reference = real(contact.reference)
                builder.add(contact)
            case .link(var link):
                link.contact = real(link.contact)
                builder.add(link)
            case .warning(let code, let message, let location): builder.warn(code, message, at: location)
            case .error(let error): builder.record(error)
            case .positional(_, let pupil, let name):
                resolved.append(builder.positionalReference(for: pupil, name: name))
            case .endOfRow:
                if builder.isFull { return false }
            }
        }
        return true
    }
}
