import Foundation

/// Follows the CTF element tree (research/mis-formats.md §1) as libxml2's SAX parser walks it, building each
/// `<Pupil>` and its nested `<Contact>`s and handing them to the builder when the pupil closes, so
/// that only one pupil is held at a time.
///
/// A value type driven by `CTFSAXParser`: the state of a class is checked for exclusive access at
/// run time on every use, which for some thirty uses per element cost more than the XML parsing.
struct CTFDocument {
    var builder: RosterBuilder
    private let file: String
    private let options: ReaderOptions

    private var path: [String] = []
    /// The tag of each element of `path`.
    private var tags: [CTFTag] = []
    /// The text of the innermost open element so far, as libxml2 gives it (UTF-8).
    private var text: [UInt8] = []
    private var rootChecked = false
    private var lea: String?
    private var estab: String?
    private var headerSchoolName: String?

    private var pupil: PupilDraft?
    private var contact: ContactDraft?
    private var address: CTFAddress?
    private var phone: (type: String?, number: String?)?

    struct PupilDraft {
        var line: Int
        var fields = CTFFields()
        var address: CTFAddress?
        var contacts: [ContactDraft] = []
    }

    struct ContactDraft {
        var line: Int
        var fields = CTFFields()
        var address: CTFAddress?
        var phones: [(type: String?, number: String?)] = []
    }

    init(file: String, options: ReaderOptions, builder: RosterBuilder) {
        self.file = file
        self.options = options
        self.builder = builder
    }

    private func location(_ line: Int) -> SourceLocation { SourceLocation(file: file, line: line) }

    /// An element named by the NUL-terminated UTF-8 `name` opens on `line`; `false` when the document
    /// is not a CTF and parsing should stop.
    mutating func start(_ name: UnsafePointer<UInt8>, line: Int) -> Bool {
        let element = String(cString: name)
        if !rootChecked {
            rootChecked = true
            guard element == "CTfile" || element == "ATfile" else {
                builder.record(RosterError(
                    .unsupported(reason: "not a Common Transfer File: the root element is <\(element)>, not <CTfile>"),
                    at: location(line)))
                return false
            }
        }
        let tag = CTFTag(element)
        path.append(element)
        tags.append(tag)
        text.removeAll(keepingCapacity: true)
        switch tag {
        case .pupil where path.count >= 2 && path[path.count - 2].hasSuffix("pupilData"):
            pupil = PupilDraft(line: line)
        case .contact where pupil != nil:
            contact = ContactDraft(line: line)
        case .address where pupil != nil:
            address = CTFAddress()
        case .phone where pupil != nil:
            phone = (nil, nil)
        default:
            break
        }
        return true
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: bytes)
    }

    /// The innermost open element closes.
    mutating func end() {
        guard let element = path.last, let tag = tags.last else { return }
        defer {
            text.removeAll(keepingCapacity: true)
            path.removeLast()
            tags.removeLast()
        }
        // Elements the reader does not act on inside a pupil (most of a CTF) need no string.
        if pupil != nil, tag == .other { return }
        let value = String(decoding: text, as: UTF8.self).trimmingWhitespace()
        if pupil == nil {
            if path.contains("SourceSchool") {
                switch element {
                case "LEA": lea = value
                case "Estab": estab = value
                case "SchoolName": headerSchoolName = value
                default: break
                }
            }
            return
        }
        switch tag {
        case .pupil where contact == nil:
            if let pupil { finish(pupil) }
            pupil = nil
        case .contact where contact != nil:
            pupil?.contacts.append(contact!)
            contact = nil
        case .address where address != nil:
            if contact != nil { contact?.address = address } else { pupil?.address = address }
            address = nil
        case .phone where phone != nil:
            contact?.phones.append(phone!)
            phone = nil
        case .telephoneType where phone != nil:
            phone?.type = value
        case .phoneNo where phone != nil:
            phone?.number = value
        default:
            // Inside `<Address>`, its parts; `set` says whether the element was one.
            if address != nil, address!.set(tag, value) { break }
            if contact != nil {
                contact?.fields.keepFirst(tag, value)
                break
            }
            // Pupil fields: the first of each name wins, so `BasicDetails/…` and history blocks cannot
            // overwrite the pupil's own `Surname`.
            if !value.isEmpty, tags.count >= 2 {
                let parent = tags[tags.count - 2]
                if parent == .pupil || parent == .basicDetails || parent == .lookedAfter {
                    pupil?.fields.keepFirst(tag, value)
                }
            }
        }
    }

    /// libxml2's `message` for a parse error at `line`, `column`.
    mutating func parseError(_ message: String, line: Int, column: Int) {
        builder.record(RosterError(
            .malformed(reason: "not well-formed XML: \(message.isEmpty ? "the document could not be parsed" : message)"),
            at: SourceLocation(file: file, line: line, column: column)))
    }

    /// The school id of DESIGN.md Part B: the config's, else the header's LEA and Estab joined.
    private var schoolID: String? {
        if let configured = options.schoolID { return configured }
        guard let lea, let estab, !lea.isEmpty, !estab.isEmpty else { return nil }
        return lea + estab
    }

    private mutating func finish(_ draft: PupilDraft) {
        guard let schoolID else {
            builder.record(RosterError(
                .malformed(reason: "no school id: the config gives none and the header has no SourceSchool LEA and Estab"),
                at: location(draft.line)))
            return
        }
        guard let pupilID = draft.fields[.upn] ?? draft.fields[.applicationReference] else {
            builder.record(RosterError(.malformed(reason: "the pupil has neither a UPN nor an ApplicationReference"),
                                       at: location(draft.line)))
            return
        }
        let reference = PupilReference(schoolID: schoolID, pupilID: pupilID)
        let pupilAddress = draft.address?.postalAddress
        builder.add(Pupil(
            reference: reference, origin: location(draft.line), upn: draft.fields[.upn],
            name: PersonName(
                given: NameNormaliser.displayForm(draft.fields[.forename]),
                middle: NameNormaliser.displayForm(draft.fields[.middleNames]),
                family: NameNormaliser.displayForm(draft.fields[.surname]) ?? ""),
            preferredGivenName: NameNormaliser.displayForm(draft.fields[.preferredForename]),
            dateOfBirth: date(draft.fields[.dob], line: draft.line),
            yearGroup: draft.fields[.ncYearActual],
            schoolName: options.schoolName ?? headerSchoolName,
            lookedAfter: flag(draft.fields[.inCare], line: draft.line),
            leavingDate: nil,
            address: pupilAddress))
        for contact in draft.contacts {
            add(contact, of: reference, pupilAddress: pupilAddress)
        }
    }

    private mutating func add(_ draft: ContactDraft, of pupil: PupilReference, pupilAddress: PostalAddress?) {
        let fields = draft.fields
        guard let family = NameNormaliser.displayForm(fields[.surname]) else {
            builder.record(RosterError(.malformed(reason: "the contact has no Surname"), at: location(draft.line)))
            return
        }
        var given = NameNormaliser.displayForm(fields[.forename])
        var title = fields[.title]
        if title == nil, let typed = given {
            (title, given) = NameNormaliser.splitTitle(fromGiven: typed)
        }
        let name = PersonName(title: title, given: given, middle: NameNormaliser.displayForm(fields[.middleNames]), family: family)
        let reference = builder.positionalReference(for: pupil, name: name)
        let asPupil = draft.address?.asPupil ?? false
        builder.add(Contact(
            reference: reference, origin: location(draft.line), name: name,
            emails: EmailNormaliser.address(fields[.email], kind: .primary).map { [$0] } ?? [],
            phones: draft.phones.compactMap { PhoneNormaliser.number($0.number, kind: Self.phoneKind($0.type)) },
            address: asPupil ? pupilAddress : draft.address?.postalAddress))

        let raw = fields[.relationship]
        var relationship = Relationship.unknown
        if let raw {
            if let known = RelationshipNormaliser.normalise(raw) {
                relationship = known
            } else {
                builder.warn(.unknownRelationship, "relationship code \"\(raw)\" is not known; kept as written, read as unknown",
                             at: location(draft.line))
            }
        }
        var priority: Int?
        if let order = fields[.order] {
            priority = ValueParser.priority(order)
            if priority == nil {
                builder.warn(.unreadableValue, "Order \"\(order)\" is not a number from 1; read as blank", at: location(draft.line))
            }
        }
        builder.add(ContactLink(
            pupil: pupil, contact: reference, origin: location(draft.line),
            relationshipRaw: raw, relationship: relationship, priority: priority,
            hasParentalResponsibility: flag(fields[.responsibility], line: draft.line),
            // A CTF has no court-order flag and no "lives with"; AddressAsPupil is the nearest to the latter.
            hasCourtOrder: .unknown,
            livesWithPupil: asPupil ? .yes : .unknown,
            accessWithdrawn: .unknown))
    }

    /// H home, W work, M mobile, F fax; the rest (A, D, …) are not known for certain.
    static func phoneKind(_ code: String?) -> ContactPointKind {
        switch code?.uppercased() {
        case "H": .home
        case "W": .work
        case "M": .mobile
        case "F": .fax
        default: .other
        }
    }

    private mutating func flag(_ raw: String?, line: Int) -> TriState {
        guard let raw else { return .unknown }
        guard let flag = ValueParser.triState(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not true or false; read as unknown", at: location(line))
            return .unknown
        }
        return flag
    }

    private mutating func date(_ raw: String?, line: Int) -> CalendarDate? {
        guard let raw else { return nil }
        guard let date = ValueParser.date(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not a date; read as blank", at: location(line))
            return nil
        }
        return date
    }
}
