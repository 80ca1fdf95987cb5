import Foundation
import Testing

@testable import Reconcile
import TestRandom

/// Matching finds each person's overlaps in two halves of the people (on two threads for a local
/// authority) and may look the references up in a table made beforehand (`ParentMatcher.EntryReferences`,
/// which a run makes on its second core): on one thread or two, with the table or without, the overlaps
/// and the matching must be those of the general form (the references as Strings, the people in one pass).
struct PlanMatchingHalvesTests {
    typealias F = PlanFixture

    /// Worlds with conflicts, split entries, positional references and matches by identity keys
    /// (`PlanMatchingFlatTests.theMixedWorldsHoldEveryKindOfMatch`), some larger than any one person.
    static func worlds(seed: Int) -> (people: [DesiredParent], directories: [CurrentDirectory]) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let codes = (0..<Int.random(in: 0..<24, using: &generator)).map { _ in Int.random(in: 0...1_000_000, using: &generator) }
        let people = PlanPropertyTests.world(codes)
        let before = F.settled(PlanPropertyTests.world(codes.shuffled(using: &generator)))
        return (people, [before, PlanMatchingFlatTests.mixed(before, seed: seed), F.settled(people), CurrentDirectory(parents: [])])
    }

    static func same(_ a: IndexMatching.Overlaps, _ b: IndexMatching.Overlaps) -> Bool {
        a.start == b.start && a.entries == b.entries && a.counts == b.counts && a.personStart == b.personStart && a.persons == b.persons
    }

    @Test func theHalvesOverlapsAreTheGeneralForms() {
        for seed in 0..<300 {
            let (people, directories) = Self.worlds(seed: seed)
            for directory in directories {
                let general = IndexMatching.Overlaps(general: people, parents: directory.parents)
                let references = ParentMatcher.EntryReferences(directory.parents)
                for twoThreadsFrom in [0, Int.max] {
                    let halves = IndexMatching.Overlaps(desired: people, parents: directory.parents, twoThreadsFrom: twoThreadsFrom)
                    #expect(Self.same(halves, general), "seed \(seed), two threads from \(twoThreadsFrom)")
                    let prebuilt = IndexMatching.Overlaps(
                        desired: people, parents: directory.parents, references: references, twoThreadsFrom: twoThreadsFrom)
                    #expect(Self.same(prebuilt, general), "seed \(seed), two threads from \(twoThreadsFrom), references made beforehand")
                }
            }
        }
    }

    @Test func theMatchingOnTwoThreadsOrWithTheReferencesMadeBeforehandIsTheGeneralForms() {
        for seed in 0..<300 {
            let (people, directories) = Self.worlds(seed: seed)
            for directory in directories {
                let general = IndexMatching(desired: people, parents: directory.parents, byStrings: true)
                let references = ParentMatcher.EntryReferences(directory.parents)
                for matching in [
                    IndexMatching(desired: people, parents: directory.parents, twoThreadsFrom: 0),
                    IndexMatching(desired: people, parents: directory.parents, references: references, twoThreadsFrom: 0),
                    IndexMatching(desired: people, parents: directory.parents, references: references),
                ] {
                    #expect(matching.entryIndexOfPerson == general.entryIndexOfPerson, "seed \(seed)")
                    #expect(matching.conflicts == general.conflicts && matching.unmatchedEntries == general.unmatchedEntries, "seed \(seed)")
                }
                let planner = ParentMatcher.matchForPlanner(people, to: directory.parents, references: references)
                #expect(people.indices.map { planner.entry(ofPerson: $0) ?? -1 } == general.entryIndexOfPerson, "seed \(seed)")
            }
        }
    }

    /// A table made of other entries is not used: matching makes its own of the entries it is given.
    @Test func referencesMadeOfOtherEntriesAreNotUsed() {
        for seed in 0..<100 {
            let (people, directories) = Self.worlds(seed: seed)
            let settled = directories[2]
            guard !settled.parents.isEmpty else { continue }
            let other = ParentMatcher.EntryReferences(Array(settled.parents.dropLast()))
            let general = IndexMatching(desired: people, parents: settled.parents, byStrings: true)
            let matching = IndexMatching(desired: people, parents: settled.parents, references: other, twoThreadsFrom: 0)
            #expect(matching.entryIndexOfPerson == general.entryIndexOfPerson && matching.conflicts == general.conflicts, "seed \(seed)")
        }
    }

    /// References beyond ASCII: the table made beforehand cannot hold them, and matching takes the general form.
    @Test func referencesBeyondASCIIMadeBeforehandMatchAsStrings() {
        let person = F.person("P1", refs: ["S1/\u{212A}1"], links: [F.child("S1/U1")])
        let parents = ReferenceChainsTests.entries([["S1/C9"], ["S1/K1"], ["S1/Zo\u{EB}"]])
        let references = ParentMatcher.EntryReferences(parents)
        #expect(IndexMatching(desired: [person], parents: parents, references: references, twoThreadsFrom: 0).entryIndexOfPerson == [1])
    }
}
