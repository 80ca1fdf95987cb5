@testable import Reconcile

/// The matching as `IndexMatching` made it before it kept its overlaps in flat lists (dictionaries of
/// entries per person, arrays of entries per reference): the general form `PlanMatchingFlatTests`
/// compares the flat one with. Copied from ParentMatcher.swift at 634f613, unchanged but for its name,
/// the unused `frozenEntries`, and who falls back to identity keys (as the matcher now does).
struct DictionaryMatching {
    struct Conflict: Hashable {
        var persons: [Int]
        var entries: [Int]
    }

    /// Person index → entry index.
    private(set) var entryOfPerson: [Int: Int] = [:]
    private(set) var conflicts: [Conflict] = []
    /// Entries no person matched or claims.
    private(set) var unmatchedEntries: [Int] = []

    init(desired: [DesiredParent], parents: [CurrentParent]) {
        let overlaps = Self.referenceOverlaps(desired: desired, parents: parents)
        var claimed = Set<Int>()
        for component in Self.components(of: overlaps) {
            claimed.formUnion(component.entries)
            resolve(component, overlaps: overlaps, desired: desired)
        }
        // People left without an entry and not in a conflict fall back to identity keys (the rule of
        // ParentMatcher.swift since the ninth session's idempotence fix; before, only people whose
        // references matched no entry did).
        let inConflict = Set(conflicts.flatMap(\.persons))
        let withoutEntry = desired.indices.filter { entryOfPerson[$0] == nil && !inConflict.contains($0) }
        matchByIdentityKeys(
            persons: withoutEntry, desired: desired, parents: parents,
            unclaimed: parents.indices.filter { !claimed.contains($0) }, claimed: &claimed)
        unmatchedEntries = parents.indices.filter { !claimed.contains($0) }
    }

    /// Person index → entry index → how many of the person's references the entry holds.
    ///
    /// A positional reference (`<school>/<pupil>/<n>`) names whoever is n-th among a pupil's contacts
    /// today, which may be someone else than last run when the MIS reorders them; it counts only when the
    /// entry also shares the person's name, e-mail or mobile.
    private static func referenceOverlaps(
        desired: [DesiredParent], parents: [CurrentParent]
    ) -> [Int: [Int: Int]] {
        var entriesByReference: [String: [Int]] = [:]
        for (entry, parent) in parents.enumerated() {
            for reference in parent.misContactRef { entriesByReference[reference, default: []].append(entry) }
        }
        var overlaps: [Int: [Int: Int]] = [:]
        for (person, parent) in desired.enumerated() {
            for reference in parent.contactRefs {
                for entry in entriesByReference[reference] ?? [] {
                    // `<school>/<pupil>/<n>`: more than one slash (counted, not split: every reference of the run comes here).
                    let positional = reference.utf8.lazy.filter { $0 == 0x2F }.count > 1
                    if positional, !plausiblySame(parent.identityKeys, parents[entry].identityKeys) { continue }
                    overlaps[person, default: [:]][entry, default: 0] += 1
                }
            }
        }
        return overlaps
    }

    private static func plausiblySame(_ person: IdentityKeys, _ entry: IdentityKeys) -> Bool {
        (!person.nameKey.isEmpty && person.nameKey == entry.nameKey)
            || !person.emails.isDisjoint(with: entry.emails) || !person.mobiles.isDisjoint(with: entry.mobiles)
    }

    /// The connected groups of people and entries joined by shared references.
    private static func components(of overlaps: [Int: [Int: Int]]) -> [Conflict] {
        var personsOfEntry: [Int: [Int]] = [:]
        for (person, entries) in overlaps {
            for entry in entries.keys { personsOfEntry[entry, default: []].append(person) }
        }
        var visited = Set<Int>()
        var components: [Conflict] = []
        for start in overlaps.keys.sorted() where !visited.contains(start) {
            var component = Conflict(persons: [], entries: [])
            var seenEntries = Set<Int>()
            var queue = [start]
            visited.insert(start)
            while let person = queue.popLast() {
                component.persons.append(person)
                for entry in overlaps[person]!.keys where seenEntries.insert(entry).inserted {
                    component.entries.append(entry)
                    for other in personsOfEntry[entry]! where visited.insert(other).inserted {
                        queue.append(other)
                    }
                }
            }
            component.persons.sort()
            component.entries.sort()
            components.append(component)
        }
        return components
    }

    /// One person and one entry match. One entry and several people (dedupe split a person) go to the
    /// person holding most of its references — ties to the lowest person id — and the others start
    /// afresh. Anything else is a conflict.
    private mutating func resolve(_ component: Conflict, overlaps: [Int: [Int: Int]], desired: [DesiredParent]) {
        switch (component.persons.count, component.entries.count) {
        case (1, 1):
            entryOfPerson[component.persons[0]] = component.entries[0]
        case (_, 1):
            let entry = component.entries[0]
            let owner = component.persons.max { a, b in
                let (countA, countB) = (overlaps[a]![entry]!, overlaps[b]![entry]!)
                return countA != countB ? countA < countB : desired[a].personID > desired[b].personID
            }!
            entryOfPerson[owner] = entry
        default:
            conflicts.append(component)
        }
    }

    /// People whose references match no entry, matched to an unclaimed entry with the same name and a
    /// shared e-mail or mobile: exactly one such entry, wanted by no one else. Two candidates, or two
    /// people for one entry, is a conflict: creating a second account would be worse than waiting.
    private mutating func matchByIdentityKeys(
        persons: [Int], desired: [DesiredParent], parents: [CurrentParent], unclaimed: [Int],
        claimed: inout Set<Int>
    ) {
        // Normalising an entry's names and contact points is the costly part: only entries nobody
        // claimed by reference, and only when someone is left to match, are worth it.
        guard !persons.isEmpty else { return }
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
        var candidatesOfPerson: [Int: [Int]] = [:]
        var personsOfEntry: [Int: [Int]] = [:]
        for person in persons where !desired[person].identityKeys.nameKey.isEmpty {
            let keys = desired[person].identityKeys
            let candidates = Set(keys.emails.union(keys.mobiles).flatMap {
                entriesByKey[ContactKey(name: keys.nameKey, point: $0)] ?? []
            })
            guard !candidates.isEmpty else { continue }
            candidatesOfPerson[person] = candidates.sorted()
            for entry in candidates { personsOfEntry[entry, default: []].append(person) }
        }
        for (person, candidates) in candidatesOfPerson.sorted(by: { $0.key < $1.key }) {
            claimed.formUnion(candidates)
            if candidates.count == 1, personsOfEntry[candidates[0]]!.count == 1 {
                entryOfPerson[person] = candidates[0]
            } else {
                conflicts.append(Conflict(persons: [person], entries: candidates))
            }
        }
    }
}
