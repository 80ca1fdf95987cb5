import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Follows the CTF element tree (research/mis-formats.md §1) as `XMLParser` walks it, building each
/// `<Pupil>` and its nested `<Contact>`s and handing them to the builder when the pupil closes, so
/// that only one pupil is held at a time.
final class CTFDelegate: NSObject, XMLParserDelegate {
    var builder: RosterBuilder
    private let file: String
    private let options: ReaderOptions
    /// The line of the element being read, taken from the parser in each callback (a stored weak
    /// reference to the parser would cost a side-table look-up per element).
    private var line = 0

    private var path: [String] = []
    private var text = ""
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
        var fields: [String: String] = [:]
        var address: CTFAddress?
        var contacts: [ContactDraft] = []
    }

    struct ContactDraft {
        var line: Int
        var fields: [String: String] = [:]
        var address: CTFAddress?
        var phones: [(type: String?, number: String?)] = []
    }

    init(file: String, options: ReaderOptions, builder: RosterBuilder) {
        self.file = file
        self.options = options
        self.builder = builder
    }

    func attach(to parser: XMLParser) {
        parser.delegate = self
    }

    private func location(_ line: Int) -> SourceLocation { SourceLocation(file: file, line: line) }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        line = parser.lineNumber
        if !rootChecked {
            rootChecked = true
            guard element == "CTfile" || element == "ATfile" else {
                builder.record(RosterError(
                    .unsupported(reason: "not a Common Transfer File: the root element is <\(element)>, not <CTfile>"),
                    at: location(line)))
                parser.abortParsing()
                return
            }
        }
        path.append(element)
        text = ""
        switch element {
        case "Pupil" where path.count >= 2 && path[path.count - 2].hasSuffix("pupilData"):
            pupil = PupilDraft(line: line)
        case "Contact" where pupil != nil:
            contact = ContactDraft(line: line)
        case "Address" where pupil != nil:
            address = CTFAddress()
        case "Phone" where pupil != nil:
            phone = (nil, nil)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingWhitespace()
        text = ""
        defer { path.removeLast() }
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
        switch element {
        case "Pupil" where contact == nil:
            if let pupil { finish(pupil) }
            pupil = nil
        case "Contact" where contact != nil:
            pupil?.contacts.append(contact!)
            contact = nil
        case "Address" where address != nil:
            if contact != nil { contact?.address = address } else { pupil?.address = address }
            address = nil
        case "Phone" where phone != nil:
            contact?.phones.append(phone!)
            phone = nil
        case "TelephoneType" where phone != nil:
            phone?.type = value
        case "PhoneNo" where phone != nil:
            phone?.number = value
        case _ where address != nil && CTFAddress.elements.contains(element):
            address?.set(element, value)
        case _ where contact != nil:
            if !value.isEmpty, contact?.fields[element] == nil { contact?.fields[element] = value }
        default:
            // Pupil fields: the first of each name wins, so `BasicDetails/…` and history blocks cannot
            // overwrite the pupil's own `Surname`.
            if !value.isEmpty, pupil?.fields[element] == nil, path.count >= 2 {
                let parent = path[path.count - 2]
                if parent == "Pupil" || parent == "BasicDetails" || parent == "LookedAfter" {
                    pupil?.fields[element] = value
                }
            }
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        builder.record(RosterError(
            .malformed(reason: "not well-formed XML: \(Self.describe(parseError))"),
            at: SourceLocation(file: file, line: parser.lineNumber, column: parser.columnNumber)))
    }

    static func describe(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.isEmpty ? "parser error \((error as NSError).code)" : text
    }

    /// The school id of DESIGN.md Part B: the config's, else the header's LEA and Estab joined.
    private var schoolID: String? {
        if let configured = options.schoolID { return configured }
        guard let lea, let estab, !lea.isEmpty, !estab.isEmpty else { return nil }
        return lea + estab
    }

    private func finish(_ draft: PupilDraft) {
        guard let schoolID else {
            builder.record(RosterError(
                .malformed(reason: "no school id: the config gives none and the header has no SourceSchool LEA and Estab"),
                at: location(draft.line)))
            return
        }
        guard let pupilID = draft.fields["UPN"] ?? draft.fields["ApplicationReference"] else {
            builder.record(RosterError(.malformed(reason: "the pupil has neither a UPN nor an ApplicationReference"),
                                       at: location(draft.line)))
            return
        }
        let reference = PupilReference(schoolID: schoolID, pupilID: pupilID)
        let pupilAddress = draft.address?.postalAddress
        builder.add(Pupil(
            reference: reference, origin: location(draft.line), upn: draft.fields["UPN"],
            name: PersonName(
                given: NameNormaliser.displayForm(draft.fields["Forename"]),
                middle: NameNormaliser.displayForm(draft.fields["MiddleNames"]),
                family: NameNormaliser.displayForm(draft.fields["Surname"]) ?? ""),
            preferredGivenName: NameNormaliser.displayForm(draft.fields["PreferredForename"]),
            dateOfBirth: date(draft.fields["DOB"], line: draft.line),
            yearGroup: draft.fields["NCyearActual"],
            schoolName: options.schoolName ?? headerSchoolName,
            lookedAfter: flag(draft.fields["InCare"], line: draft.line),
            leavingDate: nil,
            address: pupilAddress))
        for contact in draft.contacts {
            add(contact, of: reference, pupilAddress: pupilAddress)
        }
    }

    private func add(_ draft: ContactDraft, of pupil: PupilReference, pupilAddress: PostalAddress?) {
        let fields = draft.fields
        guard let family = NameNormaliser.displayForm(fields["Surname"]) else {
            builder.record(RosterError(.malformed(reason: "the contact has no Surname"), at: location(draft.line)))
            return
        }
        var given = NameNormaliser.displayForm(fields["Forename"])
        var title = fields["Title"]
        if title == nil, let typed = given {
            (title, given) = NameNormaliser.splitTitle(fromGiven: typed)
        }
        let name = PersonName(title: title, given: given, middle: NameNormaliser.displayForm(fields["MiddleNames"]), family: family)
        let reference = builder.positionalReference(for: pupil, name: name)
        let asPupil = draft.address?.asPupil ?? false
        builder.add(Contact(
            reference: reference, origin: location(draft.line), name: name,
            emails: EmailNormaliser.address(fields["Email"], kind: .primary).map { [$0] } ?? [],
            phones: draft.phones.compactMap { PhoneNormaliser.number($0.number, kind: Self.phoneKind($0.type)) },
            address: asPupil ? pupilAddress : draft.address?.postalAddress))

        let raw = fields["Relationship"]
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
        if let order = fields["Order"] {
            priority = ValueParser.priority(order)
            if priority == nil {
                builder.warn(.unreadableValue, "Order \"\(order)\" is not a number from 1; read as blank", at: location(draft.line))
            }
        }
        builder.add(ContactLink(
            pupil: pupil, contact: reference, origin: location(draft.line),
            relationshipRaw: raw, relationship: relationship, priority: priority,
            hasParentalResponsibility: flag(fields["Responsibility"], line: draft.line),
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

    private func flag(_ raw: String?, line: Int) -> TriState {
        guard let raw else { return .unknown }
        guard let flag = ValueParser.triState(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not true or false; read as unknown", at: location(line))
            return .unknown
        }
        return flag
    }

    private func date(_ raw: String?, line: Int) -> CalendarDate? {
        guard let raw else { return nil }
        guard let date = ValueParser.date(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not a date; read as blank", at: location(line))
            return nil
        }
        return date
    }
}
