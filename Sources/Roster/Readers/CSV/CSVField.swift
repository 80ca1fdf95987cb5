/// The fields a contacts CSV can hold: the canonical columns of DESIGN.md Part B, plus three that
/// report exports need (`preferred_given_name`, a contact's whole `name` in one field, a `phone` of
/// unknown kind). A `columns:` map in the config names these.
public enum CSVField: String, Sendable, Hashable, CaseIterable {
    case schoolID = "school_id"
    case pupilID = "pupil_id"
    case upn
    case pupilGivenName = "pupil_given_name"
    case pupilFamilyName = "pupil_family_name"
    case preferredGivenName = "preferred_given_name"
    case yearGroup = "year_group"
    case regGroup = "reg_group"
    case dateOfBirth = "date_of_birth"
    case lookedAfter = "looked_after"
    case leavingDate = "leaving_date"
    case contactID = "contact_id"
    case title
    case givenName = "given_name"
    case familyName = "family_name"
    /// A contact's whole name in one field (`Mr Conor Jones`), split into title, given and family.
    case name
    case relationship
    case priority
    case parentalResponsibility = "parental_responsibility"
    case courtOrder = "court_order"
    case livesWithPupil = "lives_with_pupil"
    case accessWithdrawn = "access_withdrawn"
    case email
    case mobile
    case homePhone = "home_phone"
    case workPhone = "work_phone"
    /// A phone number whose kind the export does not say.
    case phone
    case addressLine1 = "address_line1"
    case addressLine2 = "address_line2"
    case addressLine3 = "address_line3"
    case town
    case county
    case postcode

    /// Fields of the pupil, the same on every row of that pupil. The rest belong to a contact or a link.
    public var isPupilField: Bool {
        switch self {
        case .schoolID, .pupilID, .upn, .pupilGivenName, .pupilFamilyName, .preferredGivenName, .yearGroup,
            .regGroup, .dateOfBirth, .lookedAfter, .leavingDate:
            true
        default:
            false
        }
    }

    /// The key header matching uses: lower case, without spaces and underscores (`Pupil ID`,
    /// `PUPIL_ID` and `pupilid` are one header).
    static func headerKey(_ header: String) -> String {
        String(header.lowercased().filter { !$0.isWhitespace && $0 != "_" })
    }
}
