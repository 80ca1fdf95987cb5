/// Turns the users and relationships of a OneRoster or SDS export into pupils, contacts and links.
/// Neither format has priority, parental responsibility or court orders: those stay unknown.
struct RosteringAssembler {
    struct Student {
        var user: RosteringUser
        var org: String?
        var grade: String?
    }

    /// One pupil–contact pair as an export states it. Equal by the pair alone, so that a link stated in
    /// both directions (student's and contact's `agentSourcedIds`) is one link: the first statement wins.
    struct LinkFact: Hashable {
        var student: String
        var contact: String
        var relationship: String?
        var origin: SourceLocation

        static func == (lhs: Self, rhs: Self) -> Bool { lhs.student == rhs.student && lhs.contact == rhs.contact }
        func hash(into hasher: inout Hasher) {
            hasher.combine(student)
            hasher.combine(contact)
        }
    }

    let options: ReaderOptions
    let orgs: RosteringOrgs

    /// Adds every student as a pupil, then each link with its contact. A contact's school is its own
    /// org's, else that of the first pupil it is linked to.
    func assemble(
        students: [Student], contacts: [String: (user: RosteringUser, org: String?)], links: [LinkFact],
        into builder: inout RosterBuilder
    ) {
        var pupils: [String: PupilReference] = [:]
        for student in students {
            guard let schoolID = orgs.schoolID(for: student.org, options: options) else {
                builder.record(RosterError(
                    .malformed(reason: "student \(student.user.sourcedID) has no org and the config gives no school_id"),
                    at: student.user.origin))
                continue
            }
            let user = student.user
            let reference = PupilReference(schoolID: schoolID, pupilID: user.sourcedID)
            pupils[user.sourcedID] = reference
            builder.add(Pupil(
                reference: reference, origin: user.origin, upn: user.upn, name: user.name,
                preferredGivenName: user.preferredGivenName,
                yearGroup: student.grade ?? RosteringUser.list(user.grades).first,
                schoolName: orgs.name(of: student.org, options: options)))
        }
        var seen = Set<LinkFact>()
        for link in links where seen.insert(link).inserted {
            guard let pupil = pupils[link.student], let (user, org) = contacts[link.contact] else { continue }
            let schoolID = org.flatMap { orgs.schoolID(for: $0, options: options) } ?? pupil.schoolID
            let reference = ContactReference.id(user.sourcedID, school: schoolID)
            guard !user.name.family.isEmpty else {
                builder.record(RosterError(.malformed(reason: "contact \(user.sourcedID) has no familyName"), at: user.origin))
                continue
            }
            builder.add(Contact(
                reference: reference, origin: user.origin, name: user.name,
                emails: EmailNormaliser.address(user.email, kind: .primary).map { [$0] } ?? [],
                phones: [PhoneNormaliser.number(user.sms, kind: .mobile), PhoneNormaliser.number(user.phone, kind: .other)]
                    .compactMap { $0 }))
            var relationship = Relationship.unknown
            if let raw = link.relationship {
                if let known = RelationshipNormaliser.normalise(raw) {
                    relationship = known
                } else {
                    builder.warn(.unknownRelationship, "relationship \"\(raw)\" is not known; kept as written, read as unknown",
                                 at: link.origin)
                }
            }
            builder.add(ContactLink(
                pupil: pupil, contact: reference, origin: link.origin,
                relationshipRaw: link.relationship, relationship: relationship,
                // enabledUser=false: the source says this person's access is curtailed.
                accessWithdrawn: user.enabled == .no ? .yes : (user.enabled == .yes ? .no : .unknown)))
        }
    }
}
