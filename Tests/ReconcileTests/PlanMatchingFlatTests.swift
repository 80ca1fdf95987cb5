import Foundation
import PropertyBased
import Testing

@testable import Reconcile
import TestRandom

/// `IndexMatching` (flat lists) against `DictionaryMatching`, the form it replaced.
struct PlanMatchingFlatTests {
    typealias F = PlanFixture

    /// Entries whose records were moved about: some given another entry's record (an entry two people
    /// claim, a person in two entries), some with a record dropped or renumbered to a position.
    static func mixed(_ directory: CurrentDirectory, seed: Int) -> CurrentDirectory {
        var generator = SeededGenerator(seed: UInt64(seed))
        var copy = directory
        let references = directory.parents.flatMap(\.misContactRef)
        guard !references.isEmpty else { return copy }
        for index in copy.parents.indices {
            switch Int.random(in: 0..<8, using: &generator) {
            case 0: copy.parents[index].misContactRef.insert(references.randomElement(using: &generator)!)
            case 1: copy.parents[index].misContactRef = Set(copy.parents[index].misContactRef.dropFirst())
            case 2: copy.parents[index].misContactRef.insert("S1/U1/\(Int.random(in: 0..<9, using: &generator))")
            case 3: copy.parents[index].mail = nil
            default: break
            }
        }
        copy.parents.shuffle(using: &generator)
        return copy
    }

    @Test func theFlatMatchingMatchesAsTheDictionaryMatchingDid() async {
        await propertyCheck(input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000)) { before, after, seed in
            let settled = F.settled(PlanPropertyTests.world(before))
            var generator = SeededGenerator(seed: UInt64(seed) &+ 7)
            let people = PlanPropertyTests.world(after).shuffled(using: &generator)
            for directory in [settled, Self.mixed(settled, seed: seed), F.settled(people), Self.mixed(F.settled(people), seed: seed)] {
                let flat = IndexMatching(desired: people, parents: directory.parents)
                let reference = DictionaryMatching(desired: people, parents: directory.parents)
                let referenceEntries = people.indices.map { reference.entryOfPerson[$0] ?? -1 }
                #expect(flat.entryIndexOfPerson == referenceEntries)
                #expect(flat.matchedPairs.map { [$0.person, $0.entry] } == reference.entryOfPerson.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
                #expect(flat.conflicts.map { [$0.persons, $0.entries] } == reference.conflicts.map { [$0.persons, $0.entries] })
                #expect(flat.unmatchedEntries == reference.unmatchedEntries)
            }
        }
    }

    /// People whose identity keys are worked out when asked for have the keys, the matching and the plan
    /// of the same people with their keys worked out beforehand.
    @Test func keysWorkedOutWhenAskedForMatchAndPlanAlike() async {
        await propertyCheck(input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000)) { before, after, seed in
            let people = PlanPropertyTests.world(after)
            let lazy = people.map { person in
                DesiredParent(
                    personID: person.personID, contactRefs: person.contactRefs, username: person.username, givenName: person.givenName,
                    familyName: person.familyName, displayName: person.displayName, mail: person.mail, mobile: person.mobile,
                    links: person.links, keysFromEmail: person.mail, mobile: person.mobile)
            }
            #expect(lazy.map(\.identityKeys) == people.map(\.identityKeys))
            let context = F.context(limits: SafetyLimits(maxDisable: .count(1000), maxUnlink: .count(1000)))
            for directory in [F.settled(PlanPropertyTests.world(before)), Self.mixed(F.settled(PlanPropertyTests.world(before)), seed: seed)] {
                let eager = IndexMatching(desired: people, parents: directory.parents)
                let worked = IndexMatching(desired: lazy, parents: directory.parents)
                #expect(eager.entryIndexOfPerson == worked.entryIndexOfPerson && eager.conflicts == worked.conflicts)
                #expect(Planner.plan(desired: lazy, current: directory, context: context) == Planner.plan(desired: people, current: directory, context: context))
            }
        }
    }

    /// The worlds above do have people in conflicts, split entries and matches by identity keys (else
    /// the comparison would say little).
    @Test func theMixedWorldsHoldEveryKindOfMatch() {
        var conflicts = 0, splits = 0, byKeys = 0
        for seed in 0..<200 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let codes = (0..<8).map { _ in Int.random(in: 0...1_000_000, using: &generator) }
            let people = PlanPropertyTests.world(codes)
            let directory = Self.mixed(F.settled(PlanPropertyTests.world(codes.shuffled(using: &generator))), seed: seed)
            let matching = IndexMatching(desired: people, parents: directory.parents)
            conflicts += matching.conflicts.count
            for (person, entry) in matching.matchedPairs {
                if !people[person].contactRefs.contains(where: directory.parents[entry].misContactRef.contains) { byKeys += 1 }
                if directory.parents[entry].misContactRef.count > people[person].contactRefs.count { splits += 1 }
            }
        }
        #expect(conflicts > 0 && splits > 0 && byKeys > 0, "\(conflicts) conflicts, \(splits) splits, \(byKeys) by keys")
    }
}
