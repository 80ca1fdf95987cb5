/// What one source says: its pupils, contacts and the links between them, plus the warnings found
/// while reading it. Readers return one; a source that fails validation throws instead.
public struct Roster: Sendable, Hashable, Codable {
    /// Every pupil, in file order, one per reference.
    public var pupils: [Pupil]
    /// Every contact record, in file order, one per reference.
    public var contacts: [Contact]
    /// Every pupil–contact pair, in file order, one per pair.
    public var links: [ContactLink]
    /// Oddities found while reading, in file order.
    public var warnings: [RosterWarning]

    public init(
        pupils: [Pupil] = [], contacts: [Contact] = [], links: [ContactLink] = [], warnings: [RosterWarning] = []
    ) {
        self.pupils = pupils
        self.contacts = contacts
        self.links = links
        self.warnings = warnings
    }

    /// Pupils by reference, for look-ups.
    public var pupilsByReference: [PupilReference: Pupil] {
        Dictionary(pupils.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Contacts by reference, for look-ups.
    public var contactsByReference: [ContactReference: Contact] {
        Dictionary(contacts.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The school ids this roster covers.
    public var schoolIDs: Set<String> {
        Set(pupils.map(\.reference.schoolID))
    }

    /// On roll on `date`: in this roster (a pupil absent from the export is not on roll) and not past
    /// its leaving date. A linear search: for many questions, look pupils up in `pupilsByReference` once
    /// and ask `Pupil.isOnRoll(on:)`.
    public func isOnRoll(_ pupil: PupilReference, on date: CalendarDate) -> Bool {
        pupils.first { $0.reference == pupil }?.isOnRoll(on: date) ?? false
    }

    /// Adds another roster's records and warnings after this one's (several files of one source).
    public mutating func append(contentsOf other: Roster) {
        pupils += other.pupils
        contacts += other.contacts
        links += other.links
        warnings += other.warnings
    }
}
