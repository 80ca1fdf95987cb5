/// A pupil as one source gives it.
///
/// A pupil present in the export is on roll until its `leavingDate`; a pupil absent from the export is
/// not on roll at all (DESIGN.md Part B), which `Roster.isOnRoll(_:on:)` answers.
public struct Pupil: Sendable, Hashable {
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
    public var address: PostalAddress? {
        get { boxedAddress?.address }
        set { boxedAddress = newValue.map(AddressBox.init) }
    }
    /// `address`, held out of line: only a CTF gives a pupil one, and in line its 72 bytes were a fifth
    /// of every pupil of a local authority's CSVs.
    private var boxedAddress: AddressBox?

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
        boxedAddress = address.map(AddressBox.init)
    }

    /// On roll on `date`: present in the export and not yet past its leaving date (a pupil leaving
    /// today is still on roll today).
    public func isOnRoll(on date: CalendarDate) -> Bool {
        guard let leavingDate else { return true }
        return date <= leavingDate
    }
}

/// A pupil's address out of line, compared and hashed by its value.
private final class AddressBox: Sendable, Hashable {
    let address: PostalAddress

    init(_ address: PostalAddress) {
        self.address = address
    }

    static func == (lhs: AddressBox, rhs: AddressBox) -> Bool {
        lhs.address == rhs.address
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(address)
    }
}

extension Pupil: Codable {
    private enum CodingKeys: String, CodingKey {
        case reference, origin, upn, name, preferredGivenName, dateOfBirth, yearGroup, registrationGroup, schoolName,
            lookedAfter, leavingDate, address
    }

    /// As the synthesised form was, `address` under its own name.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            reference: try container.decode(PupilReference.self, forKey: .reference),
            origin: try container.decode(SourceLocation.self, forKey: .origin),
            upn: try container.decodeIfPresent(String.self, forKey: .upn),
            name: try container.decode(PersonName.self, forKey: .name),
            preferredGivenName: try container.decodeIfPresent(String.self, forKey: .preferredGivenName),
            dateOfBirth: try container.decodeIfPresent(CalendarDate.self, forKey: .dateOfBirth),
            yearGroup: try container.decodeIfPresent(String.self, forKey: .yearGroup),
            registrationGroup: try container.decodeIfPresent(String.self, forKey: .registrationGroup),
            schoolName: try container.decodeIfPresent(String.self, forKey: .schoolName),
            lookedAfter: try container.decode(TriState.self, forKey: .lookedAfter),
            leavingDate: try container.decodeIfPresent(CalendarDate.self, forKey: .leavingDate),
            address: try container.decodeIfPresent(PostalAddress.self, forKey: .address))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reference, forKey: .reference)
        try container.encode(origin, forKey: .origin)
        try container.encodeIfPresent(upn, forKey: .upn)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(preferredGivenName, forKey: .preferredGivenName)
        try container.encodeIfPresent(dateOfBirth, forKey: .dateOfBirth)
        try container.encodeIfPresent(yearGroup, forKey: .yearGroup)
        try container.encodeIfPresent(registrationGroup, forKey: .registrationGroup)
        try container.encodeIfPresent(schoolName, forKey: .schoolName)
        try container.encode(lookedAfter, forKey: .lookedAfter)
        try container.encodeIfPresent(leavingDate, forKey: .leavingDate)
        try container.encodeIfPresent(address, forKey: .address)
    }
}
