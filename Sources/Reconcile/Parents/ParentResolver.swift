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
        let contactCount = sources.reduce(0) { $0 + $1.roster.contacts.count }
        var entries: [(contact: Contact, links: [ContactLink])] = []
        var identityRecords: [IdentityRecord] = []
        entries.reserveCapacity(contactCount)
        identityRecords.reserveCapacity(contactCount)
        // On roll or not, decided once per pupil for the run's date (a pupil in no source is not).
        var onRoll: [PupilReference: Bool] = [:]
        onRoll.reserveCapacity(sources.reduce(0) { $0 + $1.roster.pupils.count })
        for source in sources {
            for pupil in source.roster.pupils where onRoll[pupil.reference] == nil {
                onRoll[pupil.reference] = pupil.isOnRoll(on: date)
            }
            var linksByContact: [ContactReference: [ContactLink]] = [:]
            linksByContact.reserveCapacity(source.roster.contacts.count)
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
            var decisions = members.flatMap { member in
                member.links.map { link in
                    Eligibility.decide(
                        link, isOnRoll: onRoll[link.pupil] ?? false, policy: policy)
                }
            }
            if decisions.count > 1 { decisions.sort { ($0.pupil, $0.contact) < ($1.pupil, $1.contact) } }
            let decision = Eligibility.person(decisions)
            let chosen = ContactPreference(members)
            warnings += chosen.conflicts(personID: person.id)
            return Parent(
                id: person.id,
                // Readers give names in display form already (NameNormaliser.displayForm).
                givenName: chosen.best.name.given ?? "", familyName: chosen.best.name.family,
                // Already in reference order: identity resolution lists a person's records so.
                records: members.map(\.contact.reference),
                children: Self.children(decisions),
                links: decisions, isEligible: decision.isEligible, reasons: decision.reasons,
                matchedOn: person.matchedOn, email: chosen.email, mobile: chosen.mobile)
        }
        return ParentResolution(parents: parents, nearMisses: identity.nearMisses, warnings: DedupeWarning.canonicallyOrdered(warnings))
    }
}

extension ParentResolver {
    /// The distinct pupils of decisions sorted by pupil.
    static func children(_ decisions: [LinkEligibility]) -> [PupilReference] {
        var children: [PupilReference] = []
        for decision in decisions where children.last != decision.pupil { children.append(decision.pupil) }
        return children
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
        ranked = members.count == 1 ? [members[0].contact] : members.map { member in
            (member.links.compactMap(\.priority).min() ?? Int.max, member.contact)
        }
        .sorted { ($0.0, $0.1.reference) < ($1.0, $1.1.reference) }
        .map(\.1)
        email = ranked.lazy.compactMap { $0.emails.lazy.compactMap(\.normalised).first }.first
        mobile = ranked.lazy.compactMap { $0.phones.lazy.compactMap(\.e164).first(where: MatchForm.isUKMobile) }.first
        // The sets are only worth building when a second value exists: almost never.
        let (email, mobile) = (email, mobile)
        let anotherEmail = ranked.contains { $0.emails.contains { $0.normalised != nil && $0.normalised != email } }
        let anotherMobile = ranked.contains { $0.phones.contains { $0.e164.map(MatchForm.isUKMobile) == true && $0.e164 != mobile } }
        emails = anotherEmail ? Set(ranked.flatMap { $0.emails.compactMap(\.normalised) }) : Set(email.map { [$0] } ?? [])
        mobiles = anotherMobile
            ? Set(ranked.flatMap { $0.phones.compactMap(\.e164).filter(MatchForm.isUKMobile) }) : Set(mobile.map { [$0] } ?? [])
    }

    /// A warning for each kind of value the records disagree on, naming the one used.
    func conflicts(personID: String) -> [DedupeWarning] {
        guard emails.count > 1 || mobiles.count > 1 else { return [] }
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
