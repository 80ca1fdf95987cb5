/// Which managed entry each person already has.
///
/// The run needs this before it allocates usernames (a person with an entry keeps its `uid`), and the
/// planner needs it to diff. Matching is by record reference first, then by identity keys.
public struct ParentMatching: Sendable, Hashable {
    /// Person id → the DN of the entry the person has.
    public var entryDNs: [String: String]
    /// People whose records point at more than one entry (or at entries other people also claim):
    /// neither is otherwise changed, but revoked links are removed from all of them.
    public var conflicts: [MatchConflict]
    /// Managed entries that no person matched: their contacts disappeared from the sources.
    public var unmatchedDNs: [String]
}

/// People and entries that cannot be told apart safely.
public struct MatchConflict: Sendable, Hashable {
    /// The people involved, by person id.
    public var personIDs: [String]
    /// The entries their records point at.
    public var entryDNs: [String]
}

/// Matches desired people to current entries.
public enum ParentMatcher {
    /// Matches every person to at most one entry; see `ParentMatching`.
    public static func match(_ desired: [DesiredParent], to parents: [CurrentParent]) -> ParentMatching {
        matchForPlanning(desired, to: parents).matching
    }

    /// `match`, and the same matching by position for `Planner.plan`, so a run matches its people once.
    public static func matchForPlanning(
        _ desired: [DesiredParent], to parents: [CurrentParent]
    ) -> (matching: ParentMatching, forPlanner: PlannerMatching) {
        let result = IndexMatching(desired: desired, parents: parents)
        let matching = ParentMatching(
            entryDNs: Dictionary(
                result.matchedPairs.map { (desired[$0.person].personID, parents[$0.entry].dn) },
                uniquingKeysWith: { first, _ in first }),
            conflicts: result.conflicts.map { conflict in
                MatchConflict(
                    personIDs: conflict.persons.map { desired[$0].personID }.sorted(),
                    entryDNs: conflict.entries.map { parents[$0].dn }.sorted())
            },
            unmatchedDNs: result.unmatchedEntries.map { parents[$0].dn }.sorted())
        return (matching, PlannerMatching(index: result, persons: desired.count, entries: parents.count))
    }

    /// The matching by position only, for a run that needs no `ParentMatching` (its lists of DNs and
    /// person ids): what entry each person has comes from `PlannerMatching.entry(ofPerson:)`.
    ///
    /// - Parameter references: the entries' references, made of the same `parents` beforehand (a run makes
    ///   them on its second core while it finds the pupils' entries on the first); nil: made here.
    public static func matchForPlanner(
        _ desired: [DesiredParent], to parents: [CurrentParent], references: EntryReferences? = nil
    ) -> PlannerMatching {
        PlannerMatching(
            index: IndexMatching(desired: desired, parents: parents, references: references), persons: desired.count, entries: parents.count)
    }

    /// The managed entries' record references as matching looks them up (`ASCIIReferenceChains`), made
    /// apart from matching: it needs nothing of the people, so a run makes it while it does their part.
    public struct EntryReferences: Sendable {
        /// nil when a reference is beyond ASCII: matching then takes the general form.
        let chains: ASCIIReferenceChains?
        /// How many entries it was made of (matching other entries makes its own).
        let entries: Int

        public init(_ parents: [CurrentParent]) {
            chains = ASCIIReferenceChains.of(parents)
            entries = parents.count
        }
    }
}

/// A matching of people to entries by their positions, made once and handed to `Planner.plan`. Matching
/// reads only the people's records and identity keys, so it holds for the same people in the same order
/// after their usernames are filled in.
public struct PlannerMatching: Sendable {
    let index: IndexMatching
    let persons: Int
    let entries: Int

    /// The position in `parents` of the entry the person at `person` in `desired` has: nil when they
    /// have none, or are in a conflict.
    public func entry(ofPerson person: Int) -> Int? {
        index.entry(ofPerson: person)
    }

    /// Whether it was made for this many people and entries (else the planner matches afresh).
    func fits(_ desired: [DesiredParent], _ parents: [CurrentParent]) -> Bool {
        persons == desired.count && entries == parents.count
    }
}

/// The matching by array index, which the planner works with.
///
/// Kept in flat arrays (one slot per person, the overlaps of all people in one list): a run matches
/// 100,000 people, and a dictionary of entries per person, or an array of entries per reference, is an
/// allocation each.
struct IndexMatching {
    struct Conflict: Hashable {
        var persons: [Int]
        var entries: [Int]
    }

    /// Person index → entry index, -1 when the person has no entry (or is in a conflict).
    private(set) var entryIndexOfPerson: [Int]
    private(set) var conflicts: [Conflict] = []
    /// Entries no person matched or claims.
    private(set) var unmatchedEntries: [Int] = []

    /// Each matched person with their entry, by person index.
    var matchedPairs: [(person: Int, entry: Int)] {
        entryIndexOfPerson.indices.compactMap { person in
            let entry = entryIndexOfPerson[person]
            return entry < 0 ? nil : (person, entry)
        }
    }

    /// The entry of the person at `person`, if they have one.
    func entry(ofPerson person: Int) -> Int? {
        let entry = entryIndexOfPerson[person]
        return entry < 0 ? nil : entry
    }

    /// - Parameters:
    ///   - byStrings: the references compared as Strings only (`Overlaps(general:parents:)`), for the tests
    ///     that compare the two forms.
    ///   - references: the entries' references made beforehand (nil: made here).
    ///   - twoThreadsFrom: from this many people on, the overlaps are found on two threads (tests run small
    ///     inputs both ways).
    init(
        desired: [DesiredParent], parents: [CurrentParent], byStrings: Bool = false,
        references: ParentMatcher.EntryReferences? = nil, twoThreadsFrom: Int = Halves.smallest
    ) {
        entryIndexOfPerson = Array(repeating: -1, count: desired.count)
        let overlaps = byStrings
            ? Overlaps(general: desired, parents: parents)
            : Overlaps(desired: desired, parents: parents, references: references, twoThreadsFrom: twoThreadsFrom)
        var claimed = [Bool](repeating: false, count: parents.count)
        resolveComponents(overlaps, desired: desired, claimed: &claimed)
        // People left without an entry fall back to identity keys: those whose references match no entry,
        // and those dedupe split off an entry another person holds more of (their records moved, as
        // renumbered ones do; starting afresh instead left their old entry to be disabled as disappeared
        // and matched by the next run). People in a conflict wait.
        var inConflict = [Bool](repeating: false, count: desired.count)
        for conflict in conflicts { for person in conflict.persons { inConflict[person] = true } }
        let withoutEntry = desired.indices.filter { entryIndexOfPerson[$0] < 0 && !inConflict[$0] }
        matchByIdentityKeys(
            persons: withoutEntry, desired: desired, parents: parents,
            unclaimed: parents.indices.filter { !claimed[$0] }, claimed: &claimed)
        unmatchedEntries = parents.indices.filter { !claimed[$0] }
    }

    /// Person → entry → how many of the person's references the entry holds, as flat lists: person `p`'s
    /// entries are `entries[start[p]..<start[p + 1]]`, with their counts beside them.
    ///
    /// A positional reference (`<school>/<pupil>/<n>`) names whoever is n-th among a pupil's contacts
    /// today, which may be someone else than last run when the MIS reorders them; it counts only when the
    /// entry also shares the person's name, e-mail or mobile.
    struct Overlaps {
        private(set) var start: [Int]
        private(set) var entries: [Int] = []
        private(set) var counts: [Int] = []
        /// Entry → the people overlapping it, as flat lists the same way.
        private(set) var personStart: [Int]
        private(set) var persons: [Int]

        /// By the references' bytes when they are all ASCII (nearly every run), else as Strings; the bytes'
        /// table from `references` when it was made of as many entries.
        init(
            desired: [DesiredParent], parents: [CurrentParent], references: ParentMatcher.EntryReferences? = nil,
            twoThreadsFrom: Int = Halves.smallest
        ) {
            let chains = references.flatMap { $0.entries == parents.count ? $0.chains : nil } ?? ASCIIReferenceChains.of(parents)
            if let chains, let overlaps = Overlaps(desired: desired, parents: parents, chains: chains, twoThreadsFrom: twoThreadsFrom) {
                self = overlaps
            } else {
                self.init(general: desired, parents: parents)
            }
        }

        /// From the references as Strings only, the people in one pass (the general form, which the tests
        /// compare the bytes' and the halves' with).
        init(general desired: [DesiredParent], parents: [CurrentParent]) {
            // The String chains know every reference.
            self = Overlaps(desired: desired, parents: parents, chains: StringReferenceChains(parents), inOnePass: true)!
        }

        /// nil when `chains` cannot tell of a person's reference.
        ///
        /// The people in two halves (on two threads for a local authority), each half's pairs found alone
        /// (they only read the people, the entries and the chains) and then put one after the other.
        /// `inOnePass`: all the people as the first half (the second is empty).
        private init?(
            desired: [DesiredParent], parents: [CurrentParent], chains: some ReferenceChains, twoThreadsFrom: Int = Halves.smallest,
            inOnePass: Bool = false
        ) {
            let shared = ReadOnly((desired, parents, chains))
            let cut = inOnePass ? desired.count : desired.count / 2
            let (first, second) = Halves.run(desired.count, cut: cut, parallel: desired.count >= twoThreadsFrom) { range in
                let (desired, parents, chains) = shared.value
                return Self.pairs(of: range, desired: desired, parents: parents, chains: chains)
            }
            guard var first, let second else { return nil }
            // The second half's people after the first's: their positions in the flat lists move on by the
            // first half's pairs, and the entries' counts add up.
            let shift = first.entries.count
            first.start.append(contentsOf: second.start.dropFirst().lazy.map { $0 + shift })
            first.entries.append(contentsOf: second.entries)
            first.counts.append(contentsOf: second.counts)
            for entry in first.entriesOfPerson.indices { first.entriesOfPerson[entry] += second.entriesOfPerson[entry] }
            start = first.start
            entries = first.entries
            counts = first.counts
            // The same pairs by entry: counted above, placed here in person order.
            personStart = [Int](repeating: 0, count: parents.count + 1)
            for entry in parents.indices { personStart[entry + 1] = personStart[entry] + first.entriesOfPerson[entry] }
            persons = [Int](repeating: 0, count: entries.count)
            var next = personStart
            for person in desired.indices {
                for entry in entries[start[person]..<start[person + 1]] {
                    persons[next[entry]] = person
                    next[entry] += 1
                }
            }
        }

        /// The pairs of the people in `range`, as `start`, `entries` and `counts` are for all of them (`start`
        /// from 0 at `range`'s first person), and how many of them each entry is in. nil as above.
        private static func pairs(
            of range: Range<Int>, desired: [DesiredParent], parents: [CurrentParent], chains: some ReferenceChains
        ) -> (start: [Int], entries: [Int], counts: [Int], entriesOfPerson: [Int])? {
            let chain = chains.chain
            var start = [0]
            start.reserveCapacity(range.count + 1)
            var entries: [Int] = []
            var counts: [Int] = []
            var entriesOfPerson = [Int](repeating: 0, count: parents.count)
            for person in range {
                let begin = entries.count
                // Asked for only at a positional reference (a person's keys may be worked out each time).
                var keys: IdentityKeys?
                for reference in desired[person].contactRefs {
                    var link: Int
                    switch chains.firstLink(of: reference) {
                    case .link(let first): link = first
                    case .absent: continue
                    case .unknown: return nil
                    }
                    // `<school>/<pupil>/<n>`: more than one slash (counted, not split: every reference of the run comes here).
                    let positional = reference.utf8.lazy.filter { $0 == 0x2F }.count > 1
                    while link >= 0 {
                        let entry = chain[link].entry
                        link = chain[link].next
                        if positional {
                            if keys == nil { keys = desired[person].identityKeys }
                            guard IndexMatching.plausiblySame(keys!, parents[entry].identityKeys) else { continue }
                        }
                        if let found = entries[begin...].firstIndex(of: entry) {
                            counts[found] += 1
                        } else {
                            entries.append(entry)
                            counts.append(1)
                            entriesOfPerson[entry] += 1
                        }
                    }
                }
                start.append(entries.count)
            }
            return (start, entries, counts, entriesOfPerson)
        }

        func entries(of person: Int) -> ArraySlice<Int> { entries[start[person]..<start[person + 1]] }

        func persons(of entry: Int) -> ArraySlice<Int> { persons[personStart[entry]..<personStart[entry + 1]] }

        /// How many of the person's references the entry holds (0 when none).
        func count(_ person: Int, _ entry: Int) -> Int {
            guard let found = entries[start[person]..<start[person + 1]].firstIndex(of: entry) else { return 0 }
            return counts[found]
        }
    }

    static func plausiblySame(_ person: IdentityKeys, _ entry: IdentityKeys) -> Bool {
        (!person.nameKey.isEmpty && person.nameKey == entry.nameKey)
            || !person.emails.isDisjoint(with: entry.emails) || !person.mobiles.isDisjoint(with: entry.mobiles)
    }

    /// The connected groups of people and entries joined by shared references, each resolved in turn,
    /// by their lowest person. One person and one entry (nearly every group of a run) is settled without
    /// building the group.
    private mutating func resolveComponents(_ overlaps: Overlaps, desired: [DesiredParent], claimed: inout [Bool]) {
        var visited = [Bool](repeating: false, count: desired.count)
        var seenEntries = [Bool](repeating: false, count: claimed.count)
        for start in desired.indices where !visited[start] {
            let entries = overlaps.entries(of: start)
            guard !entries.isEmpty else { continue }
            visited[start] = true
            if entries.count == 1, overlaps.persons(of: entries[entries.startIndex]).count == 1 {
                let entry = entries[entries.startIndex]
                claimed[entry] = true
                entryIndexOfPerson[start] = entry
                continue
            }
            var component = Conflict(persons: [], entries: [])
            var queue = [start]
            while let person = queue.popLast() {
                component.persons.append(person)
                for entry in overlaps.entries(of: person) where !seenEntries[entry] {
                    seenEntries[entry] = true
                    component.entries.append(entry)
                    for other in overlaps.persons(of: entry) where !visited[other] {
                        visited[other] = true
                        queue.append(other)
                    }
                }
            }
            component.persons.sort()
            component.entries.sort()
            for entry in component.entries { claimed[entry] = true }
            resolve(component, overlaps: overlaps, desired: desired)
        }
    }

    /// One person and one entry match. One entry and several people (dedupe split a person) go to the
    /// person holding most of its references — ties to the lowest person id — and the others are matched
    /// as people without an entry (by identity keys, or a new account). Anything else is a conflict.
    private mutating func resolve(_ component: Conflict, overlaps: Overlaps, desired: [DesiredParent]) {
        switch (component.persons.count, component.entries.count) {
        case (1, 1):
            entryIndexOfPerson[component.persons[0]] = component.entries[0]
        case (_, 1):
            let entry = component.entries[0]
            let owner = component.persons.max { a, b in
                let (countA, countB) = (overlaps.count(a, entry), overlaps.count(b, entry))
                return countA != countB ? countA < countB : desired[a].personID > desired[b].personID
            }!
            entryIndexOfPerson[owner] = entry
        default:
            conflicts.append(component)
        }
    }

    /// People whose references match no entry, matched to an unclaimed entry with the same name and a
    /// shared e-mail or mobile: exactly one such entry, wanted by no one else. Two candidates, or two
    /// people for one entry, is a conflict: creating a second account would be worse than waiting.
    private mutating func matchByIdentityKeys(
        persons: [Int], desired: [DesiredParent], parents: [CurrentParent], unclaimed: [Int],
        claimed: inout [Bool]
    ) {
        // Normalising an entry's names and contact points is the costly part: only entries nobody
        // claimed by reference, and only when someone is left to match, are worth it.
        guard !persons.isEmpty, !unclaimed.isEmpty else { return }
        struct ContactKey: Hashable {
            var name: String
            var point: String
        }
        var entriesByKey: [ContactKey: [Int]] = [:]
        for entry in unclaimed {
            let keys = parents[entry].identityKeys
            guard !keys.nameKey.isEmpty else { continue }
            for point in keys.emails.union(keys.mobiles) {
                entriesByKey[ContactKey(name: keys.nameKey, point: point), default: []].append(entry)
            }
        }
        guard !entriesByKey.isEmpty else { return }
        var candidatesOfPerson: [Int: [Int]] = [:]
        var personsOfEntry: [Int: [Int]] = [:]
        for person in persons {
            let keys = desired[person].identityKeys
            guard !keys.nameKey.isEmpty else { continue }
            let candidates = Set(keys.emails.union(keys.mobiles).flatMap {
                entriesByKey[ContactKey(name: keys.nameKey, point: $0)] ?? []
            })
            guard !candidates.isEmpty else { continue }
            candidatesOfPerson[person] = candidates.sorted()
            for entry in candidates { personsOfEntry[entry, default: []].append(person) }
        }
        for (person, candidates) in candidatesOfPerson.sorted(by: { $0.key < $1.key }) {
            for entry in candidates { claimed[entry] = true }
            if candidates.count == 1, personsOfEntry[candidates[0]]!.count == 1 {
                entryIndexOfPerson[person] = candidates[0]
            } else {
                conflicts.append(Conflict(persons: [person], entries: candidates))
            }
        }
    }
}
