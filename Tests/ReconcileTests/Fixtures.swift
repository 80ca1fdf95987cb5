import Roster
@testable import Reconcile

// One fixture builder for every Reconcile test: a school's export in a few lines.
//
//     let school = School("5301234")
//         .pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org"), .father("John Smith", id: "C2"))
//         .pupil("P2", .mother("Jane Smith", id: "C1"))
//
// A school built with `ids: false` is a CTF-like source: contacts carry no id, every pupil lists its own
// copies, and references are positional (`<school>/<pupil>/<n>`).

/// A contact as one pupil's row lists it.
struct Person {
    var name: String
    var relationship: Relationship
    var id: String?
    var email: String?
    var mobile: String?
    var address: Address?
    var parentalResponsibility: TriState
    var courtOrder: TriState
    var withdrawn: TriState
    var priority: Int?

    static func contact(
        _ name: String, _ relationship: Relationship, id: String? = nil, email: String? = nil, mobile: String? = nil,
        at address: Address? = nil, pr: TriState = .yes, courtOrder: TriState = .unknown,
        withdrawn: TriState = .unknown, priority: Int? = 1
    ) -> Person {
        Person(
            name: name, relationship: relationship, id: id, email: email, mobile: mobile, address: address,
            parentalResponsibility: pr, courtOrder: courtOrder, withdrawn: withdrawn, priority: priority)
    }

    static func mother(
        _ name: String, id: String? = nil, email: String? = nil, mobile: String? = nil, at address: Address? = nil,
        pr: TriState = .yes, priority: Int? = 1
    ) -> Person {
        contact(name, .mother, id: id, email: email, mobile: mobile, at: address, pr: pr, priority: priority)
    }

    static func father(
        _ name: String, id: String? = nil, email: String? = nil, mobile: String? = nil, at address: Address? = nil,
        pr: TriState = .yes, priority: Int? = 2
    ) -> Person {
        contact(name, .father, id: id, email: email, mobile: mobile, at: address, pr: pr, priority: priority)
    }

    static func grandfather(
        _ name: String, id: String? = nil, email: String? = nil, mobile: String? = nil, at address: Address? = nil
    ) -> Person {
        contact(name, .grandfather, id: id, email: email, mobile: mobile, at: address, pr: .no, priority: 3)
    }

    static func grandmother(
        _ name: String, id: String? = nil, email: String? = nil, mobile: String? = nil, at address: Address? = nil
    ) -> Person {
        contact(name, .grandmother, id: id, email: email, mobile: mobile, at: address, pr: .no, priority: 3)
    }

    func with(_ change: (inout Person) -> Void) -> Person {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A postal address: first line and postcode are what matching reads.
struct Address {
    var line: String
    var postcode: String

    init(_ line: String, _ postcode: String) {
        self.line = line
        self.postcode = postcode
    }

    static let highStreet = Address("12 High Street", "AB1 2CD")
    static let millLane = Address("3 Mill Lane", "AB3 4EF")
}

/// One school's export.
struct School {
    let id: String
    let source: String
    let ids: Bool
    var pupils: [(id: String, contacts: [Person], leaving: CalendarDate?)] = []
    /// Pupils the source marks as looked after, and dates of birth.
    var lookedAfterPupils: Set<String> = []
    var birthDates: [String: CalendarDate] = [:]

    init(_ id: String, source: String? = nil, ids: Bool = true) {
        self.id = id
        self.source = source ?? "\(id).\(ids ? "csv" : "xml")"
        self.ids = ids
    }

    func pupil(_ pupilID: String, leaving: CalendarDate? = nil, _ contacts: Person...) -> School {
        var copy = self
        copy.pupils.append((pupilID, contacts, leaving))
        return copy
    }

    /// The source marks the pupil as looked after (in care).
    func lookedAfter(_ pupilID: String) -> School {
        var copy = self
        copy.lookedAfterPupils.insert(pupilID)
        return copy
    }

    /// The pupil's date of birth.
    func born(_ pupilID: String, _ date: CalendarDate) -> School {
        var copy = self
        copy.birthDates[pupilID] = date
        return copy
    }

    var roster: Roster {
        var roster = Roster()
        var contactIndex: [ContactReference: Int] = [:]
        for (row, pupil) in pupils.enumerated() {
            let pupilReference = PupilReference(schoolID: id, pupilID: pupil.id)
            let origin = SourceLocation(file: source, line: row + 2)
            roster.pupils.append(Pupil(
                reference: pupilReference, origin: origin, name: PersonName(given: "Child", family: "Pupil"),
                dateOfBirth: birthDates[pupil.id], lookedAfter: lookedAfterPupils.contains(pupil.id) ? .yes : .no,
                leavingDate: pupil.leaving))
            for (position, person) in pupil.contacts.enumerated() {
                let reference: ContactReference =
                    if ids, let contactID = person.id { .id(contactID, school: id) } else {
                        .position(position + 1, of: pupilReference)
                    }
                if contactIndex[reference] == nil {
                    contactIndex[reference] = roster.contacts.count
                    roster.contacts.append(Self.contact(person, reference: reference, origin: origin))
                }
                roster.links.append(ContactLink(
                    pupil: pupilReference, contact: reference, origin: origin,
                    relationshipRaw: person.relationship.rawValue, relationship: person.relationship,
                    priority: person.priority, hasParentalResponsibility: person.parentalResponsibility,
                    hasCourtOrder: person.courtOrder, accessWithdrawn: person.withdrawn))
            }
        }
        return roster
    }

    /// The contact as a reader would give it: title split from the name, values normalised.
    static func contact(_ person: Person, reference: ContactReference, origin: SourceLocation) -> Contact {
        let words = person.name.split(separator: " ").map(String.init)
        let family = words.last ?? ""
        let given = words.dropLast().joined(separator: " ")
        return Contact(
            reference: reference, origin: origin,
            name: PersonName(given: given.isEmpty ? nil : given, family: family),
            emails: person.email.map { [EmailNormaliser.address($0, kind: .primary)!] } ?? [],
            phones: person.mobile.map { [PhoneNormaliser.number($0, kind: .mobile)!] } ?? [],
            address: person.address.map {
                PostalAddress(lines: [$0.line], postcode: $0.postcode,
                              normalisedPostcode: PostcodeNormaliser.normalise($0.postcode))
            })
    }
}

let runDate = CalendarDate(year: 2026, month: 11, day: 29)!

/// Resolves the schools' exports as one run.
func resolve(
    _ schools: School..., policy: EligibilityPolicy = EligibilityPolicy(), overrides: [DedupeOverride] = []
) -> ParentResolution {
    resolve(schools, policy: policy, overrides: overrides)
}

func resolve(
    _ schools: [School], policy: EligibilityPolicy = EligibilityPolicy(), overrides: [DedupeOverride] = [],
    on date: CalendarDate = runDate, usernames: [ContactReference: String] = [:]
) -> ParentResolution {
    ParentResolver.resolve(
        schools.map { RosterSource(name: $0.source, roster: $0.roster) }, policy: policy, overrides: overrides,
        on: date, usernames: usernames)
}

extension ParentResolution {
    /// The parent holding `record`.
    func parent(_ record: String) -> Parent? {
        parents.first { $0.records.contains { $0.description == record } }
    }

    /// Whether the records are one person.
    func same(_ records: String...) -> Bool {
        let ids = Set(records.map { parent($0)?.id })
        return ids.count == 1 && !ids.contains(nil)
    }

    func nearMiss(_ a: String, _ b: String) -> NearMiss? {
        nearMisses.first { Set($0.records) == Set([a, b]) }
    }
}
