import Foundation

/// The element names the CTF reader acts on. Each element name is matched once per callback, by
/// length and then bytes: comparing the name string against each literal in turn (most of them
/// longer than a small string) cost more than libxml2's parsing.
enum CTFTag {
    case other
    case pupil, contact, address, phone, telephoneType, phoneNo, basicDetails, lookedAfter
    // Inside `<Address>`.
    case addressAsPupil, saon, paon, street, locality, town, postTown, administrativeArea
    case addressLine1, addressLine2, addressLine3, addressLine4, addressLine5, county, postCode
    // Kept pupil and contact fields.
    case upn, applicationReference, forename, middleNames, surname, preferredForename, dob, ncYearActual, inCare
    case title, email, relationship, order, responsibility

    private static let names: [(name: StaticString, tag: CTFTag)] = [
        ("Pupil", .pupil), ("Contact", .contact), ("Address", .address), ("Phone", .phone),
        ("TelephoneType", .telephoneType), ("PhoneNo", .phoneNo), ("BasicDetails", .basicDetails),
        ("LookedAfter", .lookedAfter), ("AddressAsPupil", .addressAsPupil), ("SAON", .saon), ("PAON", .paon),
        ("Street", .street), ("Locality", .locality), ("Town", .town), ("PostTown", .postTown),
        ("AdministrativeArea", .administrativeArea), ("AddressLine1", .addressLine1),
        ("AddressLine2", .addressLine2), ("AddressLine3", .addressLine3), ("AddressLine4", .addressLine4),
        ("AddressLine5", .addressLine5), ("County", .county), ("PostCode", .postCode), ("UPN", .upn),
        ("ApplicationReference", .applicationReference), ("Forename", .forename), ("MiddleNames", .middleNames),
        ("Surname", .surname), ("PreferredForename", .preferredForename), ("DOB", .dob),
        ("NCyearActual", .ncYearActual), ("InCare", .inCare), ("Title", .title), ("Email", .email),
        ("Relationship", .relationship), ("Order", .order), ("Responsibility", .responsibility),
    ]

    /// `names` by length: a name is compared only with the few of its own length.
    private static let namesByLength: [[(name: StaticString, tag: CTFTag)]] = {
        var table = Array(repeating: [(name: StaticString, tag: CTFTag)](), count: 32)
        for entry in names { table[entry.name.utf8CodeUnitCount].append(entry) }
        return table
    }()

    /// The tag of element `name`; `.other` for a name the reader does not act on.
    init(_ name: String) {
        var name = name
        self = name.withUTF8 { bytes in
            guard bytes.count < Self.namesByLength.count else { return .other }
            for entry in Self.namesByLength[bytes.count]
            where memcmp(entry.name.utf8Start, bytes.baseAddress!, bytes.count) == 0 {
                return entry.tag
            }
            return .other
        }
    }
}

/// The pupil and contact elements the CTF reader keeps, held in fixed slots rather than a dictionary:
/// a file of 100,000 pupils has some three million elements, and hashing each name cost more than
/// parsing the XML.
enum CTFElement {
    case upn, applicationReference, forename, middleNames, surname, preferredForename, dob, ncYearActual, inCare
    case title, email, relationship, order, responsibility

    /// The kept element of this tag, or `nil` for one the reader does not keep.
    init?(_ tag: CTFTag) {
        switch tag {
        case .upn: self = .upn
        case .applicationReference: self = .applicationReference
        case .forename: self = .forename
        case .middleNames: self = .middleNames
        case .surname: self = .surname
        case .preferredForename: self = .preferredForename
        case .dob: self = .dob
        case .ncYearActual: self = .ncYearActual
        case .inCare: self = .inCare
        case .title: self = .title
        case .email: self = .email
        case .relationship: self = .relationship
        case .order: self = .order
        case .responsibility: self = .responsibility
        default: return nil
        }
    }
}

/// The kept elements of one pupil or contact: the first non-empty value of each.
struct CTFFields {
    private var upn, applicationReference, forename, middleNames, surname, preferredForename: String?
    private var dob, ncYearActual, inCare, title, email, relationship, order, responsibility: String?

    subscript(_ element: CTFElement) -> String? {
        get {
            switch element {
            case .upn: upn
            case .applicationReference: applicationReference
            case .forename: forename
            case .middleNames: middleNames
            case .surname: surname
            case .preferredForename: preferredForename
            case .dob: dob
            case .ncYearActual: ncYearActual
            case .inCare: inCare
            case .title: title
            case .email: email
            case .relationship: relationship
            case .order: order
            case .responsibility: responsibility
            }
        }
        set {
            switch element {
            case .upn: upn = newValue
            case .applicationReference: applicationReference = newValue
            case .forename: forename = newValue
            case .middleNames: middleNames = newValue
            case .surname: surname = newValue
            case .preferredForename: preferredForename = newValue
            case .dob: dob = newValue
            case .ncYearActual: ncYearActual = newValue
            case .inCare: inCare = newValue
            case .title: title = newValue
            case .email: email = newValue
            case .relationship: relationship = newValue
            case .order: order = newValue
            case .responsibility: responsibility = newValue
            }
        }
    }

    /// Keeps `value` for element `tag` when it is a kept element, not yet given, and `value` is not empty.
    mutating func keepFirst(_ tag: CTFTag, _ value: String) {
        guard !value.isEmpty, let element = CTFElement(tag), self[element] == nil else { return }
        self[element] = value
    }
}
