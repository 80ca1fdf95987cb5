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

    /// The field's position in `allCases`: rows are read by array index, not by hashing the field,
    /// because a row of a million-row export looks up some forty fields.
    public var ordinal: Int {
        switch self {
        case .schoolID: 0
        case .pupilID: 1
        case .upn: 2
        case .pupilGivenName: 3
        case .pupilFamilyName: 4
        case .preferredGivenName: 5
        case .yearGroup: 6
        case .regGroup: 7
        case .dateOfBirth: 8
        case .lookedAfter: 9
        case .leavingDate: 10
        case .contactID: 11
        case .title: 12
        case .givenName: 13
        case .familyName: 14
        case .name: 15
        case .relationship: 16
        case .priority: 17
        case .parentalResponsibility: 18
        case .courtOrder: 19
        case .livesWithPupil: 20
        case .accessWithdrawn: 21
        case .email: 22
        case .mobile: 23
        case .homePhone: 24
        case .workPhone: 25
        case .phone: 26
        case .addressLine1: 27
        case .addressLine2: 28
        case .addressLine3: 29
        case .town: 30
        case .county: 31
        case .postcode: 32
        }
    }

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
        // ASCII headers, nearly all of them, from the bytes: by `Character` (a Unicode property look-up
        // each) the header of each of a local authority's 400 files cost more than a hundred of its rows.
        if let key = asciiHeaderKey(header) { return key }
        return headerKeyByCharacters(header)
    }

    /// `headerKey` by `Character`s, for any header: the form the ASCII answer is tested against.
    static func headerKeyByCharacters(_ header: String) -> String {
        String(header.lowercased().filter { !$0.isWhitespace && $0 != "_" })
    }

    /// `headerKey` of an ASCII header, from its bytes; `nil` when a byte is not ASCII. The ASCII bytes
    /// `Character.isWhitespace` calls white space are tab, line feed, vertical tab, form feed, carriage
    /// return and space.
    static func asciiHeaderKey(_ header: String) -> String? {
        var header = header
        return header.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { key -> String? in
                var count = 0
                for byte in bytes {
                    if byte >= 0x80 { return nil }
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || byte == UInt8(ascii: "_") { continue }
                    key[count] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                    count += 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: key[0..<count]), as: UTF8.self)
            }
        }
    }
}

/// Which column holds each field, looked up by array index.
struct FieldColumns {
    private var columns: [Int?]
    /// Every column that is mapped, for "is anything here" checks; worked out once, not per row.
    let all: [Int]

    init(_ map: [CSVField: Int]) {
        columns = Array(repeating: nil, count: CSVField.allCases.count)
        for (field, column) in map { columns[field.ordinal] = column }
        all = columns.compactMap { $0 }
    }

    subscript(_ field: CSVField) -> Int? {
        columns[field.ordinal]
    }
}
