import Roster

/// Turns every source of a run into people with their children and eligibility: identity resolution,
/// then eligibility per link, then the values each person uses where the records disagree.
public enum ParentResolver {
    /// - Parameters:
    ///   - date: the day of the run, for "on roll" (a pupil past its leaving date is not), a pupil's age
    ///     and which of the school's rules are in force.
    ///   - usernames: the username of the directory entry each record belongs to, so that policy files
    ///     naming a `parent` by username reach every record of that person.
    public static func resolve(
        _ sources: [RosterSource], policy: EligibilityPolicy, overrides: [DedupeOverride] = [],
        on date: CalendarDate, usernames: [ContactReference: String] = [:]
    ) -> ParentResolution {
        resolve(sources, policy: policy, overrides: overrides, on: date, usernames: usernames, twoThreadsFrom: Halves.smallest)
    }

    /// The same, on two threads from `twoThreadsFrom` records (tests run small inputs both ways).
    static func resolve(
        _ sources: [RosterSource], policy: EligibilityPolicy, overrides: [DedupeOverride],
        on date: CalendarDate, usernames: [ContactReference: String], twoThreadsFrom: Int
    ) -> ParentResolution {
        var policy = policy
        policy.rules = policy.rules.active(on: date)
        var input = ResolverInput(sources, PupilTable(sources, policy: policy, on: date), twoThreadsFrom: twoThreadsFrom)
        // The records are freed once resolved: a local authority's million are hundreds of megabytes,
        // and deciding eligibility does not need them.
        let recordCount = input.records.count
        let identity = IdentityResolver.resolve(input.takeRecords(), pupils: input.numberedPupils, overrides: overrides)
        let decided = input
        // Each person's eligibility and values depend on that person's records alone: two halves of
        // the people, on two threads for a local authority.
        let persons = identity.persons
        let policyInForce = policy
        let (parents, first, second) = Halves.fill(
            persons.count, cut: Halves.cut(persons.count), parallel: recordCount >= twoThreadsFrom
        ) { range, slots in
            var warnings: [DedupeWarning] = []
            for position in range {
                slots.put(parent(persons[position], decided, sources, policyInForce, usernames, &warnings), at: position)
            }
            return warnings
        }
        return ParentResolution(
            parents: parents, nearMisses: identity.nearMisses,
            warnings: DedupeWarning.canonicallyOrdered(identity.warnings + first + second))
    }

    /// One person's eligibility per link and overall, and the values used where their records disagree
    /// (warnings about the disagreement go to `warnings`).
    private static func parent(
        _ person: IdentifiedPerson, _ input: ResolverInput, _ sources: [RosterSource],
        _ policy: EligibilityPolicy, _ usernames: [ContactReference: String], _ warnings: inout [DedupeWarning]
    ) -> Parent {
        var decisions: [LinkEligibility] = []
        decisions.reserveCapacity(person.recordIndices.reduce(0) {
            $0 + Int(input.linkStart[$1 + 1] - input.linkStart[$1])
        })
        var members: [ContactPreference.Member] = []
        members.reserveCapacity(person.recordIndices.count)
        let keys = policy.rules.isEmpty ? PersonKeys(records: []) : personKeys(person.recordIndices, input.places, sources, usernames)
        for record in person.recordIndices {
            let (source, contact) = (Int(input.places[record].source), Int(input.places[record].contact))
            let links = sources[source].roster.links
            var priority = Int.max
            for position in input.linkFlat[Int(input.linkStart[record])..<Int(input.linkStart[record + 1])] {
                let link = links[Int(position)]
                if let own = link.priority { priority = min(priority, own) }
                let pupil = Int(input.linkPupils[source][Int(position)])
                let facts = LinkFacts(
                    isOnRoll: input.onRoll[pupil], pupilNeedsApproval: input.needsApproval[pupil],
                    person: keys)
                decisions.append(Eligibility.decide(link, facts: facts, policy: policy))
            }
            members.append(ContactPreference.Member(source: Int32(source), contact: Int32(contact), priority: priority))
        }
        // By pupil, then record; the record compared only for one pupil's two records, since comparing
        // references builds their texts.
        if decisions.count > 1 {
            decisions.sort { $0.pupil != $1.pupil ? $0.pupil < $1.pupil : $0.contact < $1.contact }
        }
        let decision = Eligibility.person(decisions)
        let chosen = ContactPreference(members, in: sources)
        // Asked first: nearly no one's records disagree.
        if chosen.disagrees { warnings += chosen.conflicts(personID: person.id, in: sources) }
        let best = chosen.best
        return Parent(
            id: person.id,
            // Readers give names in display form already (NameNormaliser.displayForm).
            givenName: sources[best.source].roster.contacts[best.contact].name.given ?? "",
            familyName: sources[best.source].roster.contacts[best.contact].name.family,
            // Already in reference order: identity resolution lists a person's records so.
            records: members.map { sources[Int($0.source)].roster.contacts[Int($0.contact)].reference },
            children: Self.children(decisions),
            links: decisions, isEligible: decision.isEligible, reasons: decision.reasons,
            matchedOn: person.matchedOn, email: chosen.email, mobile: chosen.mobile)
    }
}

/// Every pupil of a run as a number, with what eligibility needs of it decided once for the run's
/// date: on roll (a pupil in no source is not), and looked after or at the review age. The first
/// source listing a pupil decides, as before. Numbered once, so that neither eligibility nor identity
/// resolution hashes a pupil reference again for each link.
struct PupilTable: Sendable {
    private(set) var number: [PupilReference: Int32] = [:]
    private(set) var onRoll: [Bool] = []
    private(set) var needsApproval: [Bool] = []

    init(_ sources: [RosterSource], policy: EligibilityPolicy, on date: CalendarDate) {
        let count = sources.reduce(0) { $0 + $1.roster.pupils.count }
        number.reserveCapacity(count)
        onRoll.reserveCapacity(count)
        needsApproval.reserveCapacity(count)
        for source in sources {
            // In place: a `for` over the array copied every pupil, a dozen strings each.
            source.roster.pupils.withUnsafeBufferPointer { pupils in
                for pupil in pupils.indices {
                    let new = Int32(onRoll.count)
                    guard number.number(for: pupils[pupil].reference, filing: new) == new else { continue }
                    onRoll.append(pupils[pupil].isOnRoll(on: date))
                    needsApproval.append(policy.pupilNeedsApproval(pupils[pupil], on: date))
                }
            }
        }
    }

    /// The pupil's number, numbering a pupil that no source lists (not on roll, needing no approval).
    mutating func number(of pupil: PupilReference) -> Int32 {
        let new = Int32(onRoll.count)
        let known = number.number(for: pupil, filing: new)
        if known == new {
            onRoll.append(false)
            needsApproval.append(false)
        }
        return known
    }

    var count: Int { onRoll.count }
}

/// Identity resolution's input built from the sources: each contact's record, its source and position,
/// its links as positions in that source's links (record `r` has `linkFlat[linkStart[r]..<linkStart[r + 1]]`)
/// and each link's pupil as a `PupilTable` number. Flat integer arrays, where a copy of every contact and
/// an array of links per contact cost a local authority seconds.
struct ResolverInput: Sendable {
    /// The records' values, numbered (`RecordTable`).
    private(set) var records = RecordTable()
    private(set) var places: [(source: Int32, contact: Int32)] = []
    private(set) var linkStart: [Int32] = [0]
    private(set) var linkFlat: [Int32] = []
    /// The records, leaving none here.
    mutating func takeRecords() -> RecordTable {
        defer { records = RecordTable() }
        return records
    }

    /// Per pupil number (`PupilTable`, pupils only links name included): on roll, needing approval.
    /// The table's dictionary is not kept: a local authority's 600,000 pupil references.
    let onRoll: [Bool]
    let needsApproval: [Bool]
    /// Per source, the `pupils` number of each of its links' pupils.
    let linkPupils: [[Int32]]
    /// Each record's pupils numbered within the record's source (see `NumberedPupils`).
    private(set) var numberedPupils: NumberedPupils

    /// - Parameter table: consumed, so that numbering the pupils only links name does not copy its
    ///   dictionary.
    init(_ sources: [RosterSource], _ table: consuming PupilTable, twoThreadsFrom: Int = Halves.smallest) {
        var table = table
        linkPupils = sources.map { source in Self.pupilNumbers(of: source.roster.links, in: &table) }
        onRoll = table.onRoll
        needsApproval = table.needsApproval
        // Contacts of one pupil are distinct people only within one source, and sources are told apart
        // by name: a pupil's number within its source is the source name's number times the pupils, plus
        // the pupil's.
        var scopeOfName: [String: Int] = [:]
        let scopes = sources.map { source in
            if let scope = scopeOfName[source.name] { return scope }
            scopeOfName[source.name] = scopeOfName.count
            return scopeOfName.count - 1
        }
        let numbered = scopeOfName.count.multipliedReportingOverflow(by: max(table.count, 1))
        let fits = !numbered.overflow && numbered.partialValue <= Int(Int32.max)
        // The records' core (references, given names, links, pupils) and their values (e-mails, mobiles,
        // family names, addresses) are independent: on two threads for a local authority. Split by kind,
        // not by sources, so that each value is numbered once, with no second numbering to join halves.
        let contactCount = sources.reduce(0) { $0 + $1.roster.contacts.count }
        let pupilCount = Int32(table.count)
        let linkPupils = linkPupils
        var (core, values) = Halves.both(parallel: contactCount >= twoThreadsFrom, {
            var part = Part()
            part.reserve(contactCount)
            for source in sources.indices {
                part.add(sources[source], at: source, pupils: linkPupils[source], numbered: fits,
                         scope: fits ? Int32(scopes[source]) * pupilCount : 0)
            }
            return part
        }, {
            var values = RecordTable()
            values.reserve(contactCount, core: false)
            for source in sources.indices {
                // Through a buffer pointer: the array's subscript here copied each contact (a dozen
                // strings and arrays retained and released) on its way to a borrowing parameter.
                sources[source].roster.contacts.withUnsafeBufferPointer { contacts in
                    for contact in contacts.indices { values.appendValues(contact: contacts.baseAddress! + contact) }
                }
            }
            return values
        })
        // The arrays moved, not copied: a second copy of a million records raised the peak.
        records = RecordTable(core: core.records, values: values)
        (core.records, values) = (RecordTable(), RecordTable())
        records.finishBuilding()
        (places, core.places) = (core.places, [])
        linkStart.reserveCapacity(records.count + 1)
        linkStart += core.linkStart
        (linkFlat, core.linkFlat) = (core.linkFlat, [])
        if fits {
            numberedPupils = NumberedPupils(start: linkStart, flat: core.scopedPupils)
            core.scopedPupils = []
        } else {
            // Too many sources and pupils to number them by multiplying: each (source name, pupil) pair
            // numbered as it is met.
            var numbers: [Int64: Int32] = [:]
            var flat: [Int32] = []
            flat.reserveCapacity(linkFlat.count)
            for record in places.indices {
                let source = Int(places[record].source)
                for link in linkFlat[Int(linkStart[record])..<Int(linkStart[record + 1])] {
                    let key = Int64(scopes[source]) << 32 | Int64(linkPupils[source][Int(link)])
                    if let known = numbers[key] {
                        flat.append(known)
                    } else {
                        numbers[key] = Int32(numbers.count)
                        flat.append(Int32(numbers.count - 1))
                    }
                }
            }
            numberedPupils = NumberedPupils(start: linkStart, flat: flat)
        }
    }

    /// The `table` number of each link's pupil. Read in place, and a pupil met on the link before
    /// answered without hashing its reference again: an export's rows of one pupil are together, and
    /// `map` over the links copied each link (its strings retained and released) and hashed every pupil
    /// reference.
    static func pupilNumbers(of links: [ContactLink], in table: inout PupilTable) -> [Int32] {
        links.withUnsafeBufferPointer { links in
            [Int32](unsafeUninitializedCapacity: links.count) { numbers, count in
                var last = -1
                for link in links.indices {
                    if last >= 0, links[link].pupil == links[last].pupil {
                        numbers[link] = numbers[last]
                    } else {
                        numbers[link] = table.number(of: links[link].pupil)
                        last = link
                    }
                }
                count = links.count
            }
        }
    }

    /// The records' core, their links and their pupils.
    private struct Part: Sendable {
        var records = RecordTable()
        var places: [(source: Int32, contact: Int32)] = []
        /// Ends of each record's links in `linkFlat` (the start of the first is 0).
        var linkStart: [Int32] = []
        var linkFlat: [Int32] = []
        /// Beside `linkFlat`: each link's pupil numbered within its source.
        var scopedPupils: [Int32] = []

        mutating func reserve(_ contacts: Int) {
            records.reserve(contacts, core: true)
            places.reserveCapacity(contacts)
            linkStart.reserveCapacity(contacts)
            linkFlat.reserveCapacity(contacts * 2)
            scopedPupils.reserveCapacity(contacts * 2)
        }

        /// - Parameters:
        ///   - pupils: the `PupilTable` number of each of the source's links' pupils.
        ///   - numbered: the pupils are numbered `scope + pupil` (false when the numbers do not fit; they
        ///     are numbered afterwards).
        ///   - scope: the first number of the source's pupils.
        mutating func add(_ source: RosterSource, at sourceIndex: Int, pupils: [Int32], numbered: Bool, scope: Int32) {
            let roster = source.roster
            let links = LinksByContact(roster)
            let sourceNumber = records.sourceNumber(source.name)
            roster.contacts.withUnsafeBufferPointer { contacts in
                // Through a buffer pointer, as the values are: the array's subscript copied each contact.
                for contact in contacts.indices {
                    records.appendCore(contact: contacts.baseAddress! + contact, linkPositions: links[contact], of: roster.links, source: sourceNumber)
                }
            }
            for contact in roster.contacts.indices {
                let own = links[contact]
                places.append((Int32(sourceIndex), Int32(contact)))
                linkFlat.append(contentsOf: own)
                if numbered { for link in own { scopedPupils.append(scope + pupils[Int(link)]) } }
                linkStart.append(Int32(linkFlat.count))
            }
        }
    }
}

/// One source's links grouped by contact, as positions in `roster.links` in file order: a counting
/// sort into one flat array rather than a dictionary holding an array for every contact.
struct LinksByContact {
    /// Contact position → the position of the first contact with its reference (whose links it has).
    private let group: [Int32]
    private let start: [Int32]
    private let flat: [Int32]

    init(_ roster: Roster) {
        var firstWithReference: [ContactReference: Int32] = [:]
        firstWithReference.reserveCapacity(roster.contacts.count)
        var group = [Int32](repeating: 0, count: roster.contacts.count)
        for contact in roster.contacts.indices {
            let reference = roster.contacts[contact].reference
            if let first = firstWithReference[reference] {
                group[contact] = first
            } else {
                firstWithReference[reference] = Int32(contact)
                group[contact] = Int32(contact)
            }
        }
        // Links to a contact the roster does not hold belong to no one, as before. Readers list a
        // contact's links together, and mostly in the contacts' order: the contact after the previous
        // link's, or that same contact, is tried before hashing the reference (a third of the work here).
        var previous = -1
        let owner = roster.links.indices.map { position -> Int32 in
            let contact = roster.links[position].contact
            if previous + 1 < roster.contacts.count, roster.contacts[previous + 1].reference == contact {
                previous += 1
                return group[previous]
            }
            if previous >= 0, roster.contacts[previous].reference == contact { return group[previous] }
            guard let first = firstWithReference[contact] else { return -1 }
            previous = Int(first)
            return first
        }
        var start = [Int32](repeating: 0, count: roster.contacts.count + 1)
        for contact in owner where contact >= 0 { start[Int(contact) + 1] += 1 }
        for contact in roster.contacts.indices { start[contact + 1] += start[contact] }
        var fill = start
        var flat = [Int32](repeating: 0, count: Int(start[roster.contacts.count]))
        for link in owner.indices where owner[link] >= 0 {
            let contact = Int(owner[link])
            flat[Int(fill[contact])] = Int32(link)
            fill[contact] += 1
        }
        self.group = group
        self.start = start
        self.flat = flat
    }

    /// The positions of the links of the contact at `contact`, in file order.
    subscript(contact: Int) -> ArraySlice<Int32> {
        let owner = Int(group[contact])
        return flat[Int(start[owner])..<Int(start[owner + 1])]
    }
}

extension ParentResolver {
    /// The person's records and the usernames of the entries they belong to.
    static func personKeys(
        _ records: [Int], _ places: [(source: Int32, contact: Int32)], _ sources: [RosterSource],
        _ usernames: [ContactReference: String]
    ) -> PersonKeys {
        let references = records.map { sources[Int(places[$0].source)].roster.contacts[Int(places[$0].contact)].reference }
        return PersonKeys(records: references, usernames: Array(Set(references.compactMap { usernames[$0] })))
    }

    /// The distinct pupils of decisions sorted by pupil.
    static func children(_ decisions: [LinkEligibility]) -> [PupilReference] {
        var children: [PupilReference] = []
        children.reserveCapacity(decisions.count)
        for decision in decisions where children.last != decision.pupil { children.append(decision.pupil) }
        return children
    }
}

/// The stated rule for values a person's records disagree on: the record of the highest-priority link
/// (priority 1 first; a link without a priority after those with one; then the lowest reference) gives
/// the name, the e-mail address and the mobile number. A record without a value gives way to the next.
///
/// The records are read in place, by their positions in the sources: a copy of each contact (a dozen
/// strings and arrays, through the runtime's generic tuple copy) was a tenth of a resolution's work.
struct ContactPreference {
    /// One of the person's records: its source and position there, and its links' highest priority
    /// (the lowest number; `Int.max` when no link has one).
    struct Member {
        let source: Int32
        let contact: Int32
        let priority: Int
    }

    /// The person's records, best first (kept, so that a person of one record, most people, needs no
    /// second array).
    let ranked: [Member]
    /// Where the best record is.
    var best: (source: Int, contact: Int) { (Int(ranked[0].source), Int(ranked[0].contact)) }
    let email: String?
    let mobile: String?
    /// Every distinct e-mail address and mobile number, built only when the records disagree (almost
    /// never): empty otherwise, since only a disagreement is reported.
    let emails: Set<String>
    let mobiles: Set<String>

    /// - Parameter members: the person's records in reference order, as identity resolution lists them.
    init(_ members: [Member], in sources: [RosterSource]) {
        func contact(_ member: Member) -> Contact { sources[Int(member.source)].roster.contacts[Int(member.contact)] }
        if members.count == 1 {
            ranked = members
        } else {
            // The members are in reference order already, so ranking by priority and leaving ties where
            // they are is the stated (priority, reference) order, without a reference's text: building
            // each text was a third of this.
            ranked = members.indices.sorted { (members[$0].priority, $0) < (members[$1].priority, $1) }.map { members[$0] }
        }
        // One pass over the ranked records: the first value is the one used, and any later value that
        // differs from it is a disagreement (only values after the first can differ from it).
        var (email, mobile): (String?, String?) = (nil, nil)
        var (anotherEmail, anotherMobile) = (false, false)
        for member in ranked {
            // The two arrays only: a copy of the whole contact (a dozen strings and arrays, each retained
            // and released) was most of this.
            let emails = sources[Int(member.source)].roster.contacts[Int(member.contact)].emails
            let phones = sources[Int(member.source)].roster.contacts[Int(member.contact)].phones
            for address in emails {
                guard let normalised = address.normalised else { continue }
                if email == nil { email = normalised } else if normalised != email { anotherEmail = true }
            }
            for phone in phones {
                guard let e164 = phone.e164, MatchForm.isUKMobile(e164) else { continue }
                if mobile == nil { mobile = e164 } else if e164 != mobile { anotherMobile = true }
            }
        }
        self.email = email
        self.mobile = mobile
        emails = anotherEmail ? Set(ranked.flatMap { contact($0).emails.compactMap(\.normalised) }) : []
        mobiles = anotherMobile
            ? Set(ranked.flatMap { contact($0).phones.compactMap(\.e164).filter(MatchForm.isUKMobile) }) : []
    }

    /// Whether the records give two e-mail addresses or two mobile numbers.
    var disagrees: Bool { emails.count > 1 || mobiles.count > 1 }

    /// A warning for each kind of value the records disagree on, naming the one used.
    func conflicts(personID: String, in sources: [RosterSource]) -> [DedupeWarning] {
        guard disagrees else { return [] }
        let contacts = ranked.map { sources[Int($0.source)].roster.contacts[Int($0.contact)] }
        let best = contacts[0]
        var warnings: [DedupeWarning] = []
        let references = contacts.map(\.reference.description).sorted()
        let name = [best.name.given, best.name.family].compactMap { $0 }.joined(separator: " ")
        let school = Set(contacts.map(\.reference.schoolID)).count == 1 ? best.reference.schoolID : nil
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
