import Roster

/// Turns every source of a run into people with their children and eligibility: identity resolution,
/// then eligibility per link, then the values each person uses where the records disagree.
public enum ParentResolver {
    /// - Parameters:
    ///   - date: the day of the run, for "on roll" (a pupil past its leaving date is not).
    public static func resolve(
        _ sources: [RosterSource], policy: EligibilityPolicy, overrides: [DedupeOverride] = [],
        on date: CalendarDate
    ) -> ParentResolution {
        var entries: [(contact: Contact, links: [ContactLink])] = []
        var identityRecords: [IdentityRecord] = []
        var pupils: [PupilReference: Pupil] = [:]
        for source in sources {
            for pupil in source.roster.pupils where pupils[pupil.reference] == nil { pupils[pupil.reference] = pupil }
            var linksByContact: [ContactReference: [ContactLink]] = [:]
            for link in source.roster.links { linksByContact[link.contact, default: []].append(link) }
            for contact in source.roster.contacts {
                let links = linksByContact[contact.reference] ?? []
                entries.append((contact, links))
                identityRecords.append(IdentityRecord(contact: contact, links: links, source: source.name))
            }
        }
        let identity = IdentityResolver.resolve(identityRecords, overrides: overrides)
        var warnings = identity.warnings
        let parents = identity.persons.map { person in
            let members = person.recordIndices.map { entries[$0] }
            let decisions = members.flatMap { member in
                member.links.map { link in
                    Eligibility.decide(
                        link, isOnRoll: pupils[link.pupil]?.isOnRoll(on: date) ?? false, policy: policy)
                }
            }.sorted { ($0.pupil, $0.contact) < ($1.pupil, $1.contact) }
            let decision = Eligibility.person(decisions)
            let chosen = ContactPreference(members)
            warnings += chosen.conflicts(personID: person.id)
            return Parent(
                id: person.id,
                givenName: NameNormaliser.displayForm(chosen.best.name.given) ?? "",
                familyName: NameNormaliser.displayForm(chosen.best.name.family) ?? chosen.best.name.family,
                records: members.map(\.contact.reference).sorted(),
                children: Set(members.flatMap { $0.links.map(\.pupil) }).sorted(),
                links: decisions, isEligible: decision.isEligible, reasons: decision.reasons,
                matchedOn: person.matchedOn, email: chosen.email, mobile: chosen.mobile)
        }
        return ParentResolution(parents: parents, nearMisses: identity.nearMisses, warnings: DedupeWarning.canonicallyOrdered(warnings))
    }
}

/// The stated rule for values a person's records disagree on: the record of the highest-priority link
/// (priority 1 first; a link without a priority after those with one; then the lowest reference) gives
/// the name, the e-mail address and the mobile number. A record without a value gives way to the next.
struct ContactPreference {
    /// The person's records, best first.
    let ranked: [Contact]
    var best: Contact { ranked[0] }
    let email: String?
    let mobile: String?
    let emails: Set<String>
    let mobiles: Set<String>

    init(_ members: [(contact: Contact, links: [ContactLink])]) {
        ranked = members.map { member in
            (member.links.compactMap(\.priority).min() ?? Int.max, member.contact)
        }
        .sorted { ($0.0, $0.1.reference) < ($1.0, $1.1.reference) }
        .map(\.1)
        let emailLists = ranked.map { $0.emails.compactMap(\.normalised) }
        let mobileLists = ranked.map { $0.phones.compactMap(\.e164).filter(MatchForm.isUKMobile) }
        email = emailLists.lazy.compactMap(\.first).first
        mobile = mobileLists.lazy.compactMap(\.first).first
        emails = Set(emailLists.joined())
        mobiles = Set(mobileLists.joined())
    }

    /// A warning for each kind of value the records disagree on, naming the one used.
    func conflicts(personID: String) -> [DedupeWarning] {
        var warnings: [DedupeWarning] = []
        let references = ranked.map(\.reference.description).sorted()
        let name = [best.name.given, best.name.family].compactMap { $0 }.joined(separator: " ")
        let school = Set(ranked.map(\.reference.schoolID)).count == 1 ? best.reference.schoolID : nil
        if emails.count > 1, let email {
            warnings.append(DedupeWarning(
                code: .conflictingEmail,
                message: "\(name) has \(emails.count) e-mail addresses (\(emails.sorted().joined(separator: ", "))); "
                    + "using \(email), from the highest-priority contact record. Keep one in the MIS",
                school: school, records: references))
        }
        if mobiles.count > 1, let mobile {
            warnings.append(DedupeWarning(
                code: .conflictingMobile,
                message: "\(name) has \(mobiles.count) mobile numbers (\(mobiles.sorted().joined(separator: ", "))); "
                    + "using \(mobile), from the highest-priority contact record. Keep one in the MIS",
                school: school, records: references))
        }
        return warnings
    }
}
