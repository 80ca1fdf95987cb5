/// A pupil as one source gives it.
///
/// A pupil present in the export is on roll until its `leavingDate`; a pupil absent from the export is
/// not on roll at all (DESIGN.md Part B), which `Roster.isOnRoll(_:on:)` answers.
public struct Pupil: Sendable, Hashable, Codable {
    /// `<school_id>/<pupil_id>`.
    public var reference: PupilReference
    /// Where the pupil's (first) record is in the source.
    public var origin: SourceLocation
    /// The 13-character Unique Pupil Number (England and Wales), when given.
    public var upn: String?
    /// Legal names.
    public var name: PersonName
    /// The name the pupil goes by, when the source gives one.
    public var preferredGivenName: String?
    /// The date of birth, when given and readable.
    public var dateOfBirth: CalendarDate?
    /// The year group as the source writes it (`7`, `Y7`, `R`, `N1`): schools' conventions differ.
    public var yearGroup: String?
    /// Registration or tutor group.
    public var registrationGroup: String?
    /// The school's name, from the config or the file, for letters and reports.
    public var schoolName: String?
    /// Whether the pupil is looked after (in care): links to such pupils need approval.
    public var lookedAfter: TriState
    /// The day the pupil leaves or left, when the source gives one.
    public var leavingDate: CalendarDate?
    /// The pupil's own address, when given (a CTF contact may say "address as pupil").
    public var address: PostalAddress?

    public init(
        reference: PupilReference, origin: SourceLocation, upn: String? = nil, name: PersonName,
        preferredGivenName: String? = nil, dateOfBirth: CalendarDate? = nil, yearGroup: String? = nil,
        registrationGroup: String? = nil, schoolName: String? = nil, lookedAfter: TriState = .unknown,
        leavingDate: CalendarDate? = nil, address: PostalAddress? = nil
    ) {
        self.reference = reference
        self.origin = origin
        self.upn = upn
        self.name = name
        self.preferredGivenName = preferredGivenName
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.registrationGroup = registrationGroup
        self.schoolName = schoolName
        self.lookedAfter = lookedAfter
        self.leavingDate = leavingDate
        self.address = address
    }

    /// On roll on `date`: present in the export and not yet past its leaving date (a pupil leaving
    /// today is still on roll today).
    public func isOnRoll(on date: CalendarDate) -> Bool {
        guard let leavingDate else { return true }
        return date <= leavingDate
    }
}
