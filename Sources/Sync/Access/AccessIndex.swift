import Directory
import Reconcile
import Roster

/// The lookups `AccessReport` joins the directory and the sources with, built once from a prepared run.
struct AccessIndex {
    let entriesByUID: [String: Entry]
    let entries: [Entry]
    let groupMembers: Set<String>?
    let personsByID: [String: Parent]
    /// The username each person has (the entry they matched) or would get, by person id.
    let usernames: [String: String]
    let pupils: [String: Pupil]
    /// Every source record's facts for a pair, by `<pupil>|<contact>`.
    let facts: [String: ContactLink]

    init(prepared: PreparedRun, parentGroup: String?) {
        entries = prepared.snapshot.managedParents
        entriesByUID = Dictionary(
            entries.compactMap { entry in entry.string(ParentAttribute.uid).map { ($0.lowercased(), entry) } },
            uniquingKeysWith: { first, _ in first })
        if let group = prepared.snapshot.roleGroup, parentGroup != nil {
            groupMembers = Set(group.members.map { DistinguishedName.comparisonKey(of: $0) })
        } else {
            groupMembers = nil
        }
        personsByID = Dictionary(prepared.parents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        usernames = Dictionary(
            prepared.desired.filter { !$0.username.isEmpty }.map { ($0.personID, $0.username) }, uniquingKeysWith: { first, _ in first })
        var pupils: [String: Pupil] = [:]
        var facts: [String: ContactLink] = [:]
        for source in prepared.sources.readable {
            for pupil in source.roster.pupils where pupils[pupil.reference.description] == nil {
                pupils[pupil.reference.description] = pupil
            }
            for link in source.roster.links {
                facts[Self.pairKey(link.pupil.description, link.contact.description)] = link
            }
        }
        self.pupils = pupils
        self.facts = facts
    }

    static func pairKey(_ pupil: String, _ contact: String) -> String { pupil + "|" + contact }

    /// `<school>/<pupil>` as given, or the one pupil whose id or UPN is `reference`.
    func resolvePupil(_ reference: String) throws(AccessError) -> String {
        if pupils[reference] != nil || !entries(linking: reference).isEmpty { return reference }
        let wanted = reference.uppercased()
        let candidates = pupils.values.filter { $0.reference.pupilID.uppercased() == wanted || $0.upn?.uppercased() == wanted }
            .map(\.reference.description).sorted()
        switch candidates.count {
        case 1: return candidates[0]
        case 0: throw .unknownPupil(reference)
        default: throw .ambiguousPupil(reference, candidates: candidates)
        }
    }

    func pupilName(_ reference: String) -> String? {
        guard let pupil = pupils[reference] else { return nil }
        let given = pupil.preferredGivenName ?? pupil.name.given
        return [given, pupil.name.family].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The people the sources list as contacts of the pupil.
    func persons(linkedTo pupil: String) -> [Parent] {
        personsByID.values.filter { person in person.links.contains { $0.pupil.description == pupil } }
    }

    /// The managed entries whose `misChildRef` holds the pupil.
    func entries(linking pupil: String) -> [Entry] {
        entries.filter { $0.strings(ParentAttribute.misChildRef).contains(pupil) }
    }

    /// The person who has (or would get) `username`.
    func person(username: String) -> Parent? {
        let wanted = username.lowercased()
        return usernames.first { $0.value.lowercased() == wanted }.flatMap { personsByID[$0.key] }
    }

    /// The person's account, when they matched an entry.
    func account(of person: Parent) -> AccountView? {
        usernames[person.id].flatMap { entriesByUID[$0.lowercased()] }.map(accountView)
    }

    func accountView(_ entry: Entry) -> AccountView {
        let locked = entry.strings(ParentAttribute.pwdAccountLockedTime).contains(ParentAttribute.permanentLock)
        return AccountView(
            dn: entry.dn, username: entry.string(ParentAttribute.uid) ?? "", status: entry.string(ParentAttribute.misAccountStatus),
            locked: locked, inRoleGroup: groupMembers.map { $0.contains(DistinguishedName.comparisonKey(of: entry.dn)) })
    }

    func name(of entry: Entry) -> String {
        entry.string(ParentAttribute.displayName) ?? entry.string(ParentAttribute.cn) ?? entry.string(ParentAttribute.uid) ?? entry.dn
    }

    /// The row for one pair: the account's link, the sources' records and eligibility's decision.
    func row(pupil: String, person: Parent?, account: AccountView?, entryName: String? = nil) -> AccessRow {
        let linked = account.flatMap { entriesByUID[$0.username.lowercased()] }?.strings(ParentAttribute.misChildRef).contains(pupil) ?? false
        let decisions = person?.links.filter { $0.pupil.description == pupil } ?? []
        let records: [SourceFacts] = decisions.compactMap { decision in
            facts[Self.pairKey(pupil, decision.contact.description)].map(Self.sourceFacts)
        }
        var eligible: Bool?
        var reasons: [ReasonCode] = []
        if !decisions.isEmpty {
            let decision = Eligibility.person(decisions)
            eligible = decision.isEligible
            reasons = decision.reasons
        }
        let verdict: AccessRow.Verdict = switch (linked, eligible == true) {
        case (true, true): .justified
        case (true, false): .notJustified
        case (false, true): .notLinkedYet
        case (false, false): .noLink
        }
        return AccessRow(
            pupil: pupil, pupilName: pupilName(pupil), parentName: person?.displayName ?? entryName ?? account?.username ?? "",
            account: account, linked: linked, records: records, eligible: eligible, reasons: reasons, verdict: verdict)
    }

    static func sourceFacts(_ link: ContactLink) -> SourceFacts {
        SourceFacts(
            contact: link.contact.description, relationship: link.relationship.rawValue, relationshipAsWritten: link.relationshipRaw,
            parentalResponsibility: link.hasParentalResponsibility, courtOrder: link.hasCourtOrder,
            accessWithdrawn: link.accessWithdrawn, priority: link.priority, origin: link.origin.description)
    }
}
