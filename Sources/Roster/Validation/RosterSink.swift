/// What a reader's rows go into: the `RosterBuilder` itself, or a `RosterLog` that keeps them in order
/// to be added to the builder later (the second part of a file read on another thread).
protocol RosterSink {
    /// True once reading should stop (see `RosterBuilder.isFull`).
    var isFull: Bool { get }
    /// How many warnings and errors so far: a reader compares these before and after a row.
    var warningCount: Int { get }
    var errorCount: Int { get }
    /// Called before each record of a file is read; `legacySeen` says whether a field so far needed
    /// Windows-1252.
    mutating func beginRecord(legacySeen: Bool)
    mutating func add(_ pupil: consuming Pupil)
    mutating func add(_ contact: consuming Contact)
    mutating func add(_ link: consuming ContactLink)
    mutating func warn(_ code: RosterWarning.Code, _ message: String, at location: SourceLocation?)
    mutating func record(_ error: RosterError)
    mutating func positionalReference(for pupil: PupilReference, name: PersonName) -> ContactReference
}

extension RosterBuilder: RosterSink {
    var warningCount: Int { roster.warnings.count }
    var errorCount: Int { errors.count }
    func beginRecord(legacySeen: Bool) {}
}
