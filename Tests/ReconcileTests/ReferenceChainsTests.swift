import Foundation
import Testing

@testable import Reconcile
import TestRandom

/// Matching looks references up by their bytes (`ASCIIReferenceChains`) when they are all ASCII, else as
/// Strings (`StringReferenceChains`, the general form): both must give the same chains, the same lookups
/// and the same matching; references beyond ASCII, some equal as Strings but spelt otherwise, must match
/// as Strings do.
struct ReferenceChainsTests {
    typealias F = PlanFixture

    /// ASCII references, enough of them to share hash slots, some held by several entries.
    static func asciiReferences(_ generator: inout SeededGenerator) -> [String] {
        (0..<Int.random(in: 0..<5, using: &generator)).map { _ in
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: "5301\(Int.random(in: 0..<3, using: &generator))/C\(Int.random(in: 0..<40, using: &generator))"
            case 1: "S1/U\(Int.random(in: 0..<5, using: &generator))/\(Int.random(in: 1..<3, using: &generator))"
            case 2: String(repeating: "x", count: Int.random(in: 0..<40, using: &generator))
            // Longer than a slot's 16 bytes, alike in them.
            case 3: "1234567890123456/C\(Int.random(in: 0..<20, using: &generator))"
            default: "5301000/P\(Int.random(in: 0..<400, using: &generator))-\(Int.random(in: 1..<3, using: &generator))"
            }
        }
    }

    static func entries(_ references: [[String]]) -> [CurrentParent] {
        references.enumerated().map { index, refs in
            CurrentParent(
                dn: "uid=p\(index),\(F.base)", uid: "p\(index)", misParentId: "P\(index)", misContactRef: Set(refs),
                cn: "Jane Smith", sn: "Smith", givenName: "Jane", displayName: "Jane Smith", status: .active, isLocked: false)
        }
    }

    @Test func theByteChainsAreTheStringChains() {
        for seed in 0..<300 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let parents = Self.entries((0..<Int.random(in: 0..<200, using: &generator)).map { _ in Self.asciiReferences(&generator) })
            guard let bytes = ASCIIReferenceChains.of(parents) else {
                Issue.record("ASCII references refused, seed \(seed)")
                continue
            }
            let strings = StringReferenceChains(parents)
            #expect(bytes.chain.map { [$0.entry, $0.next] } == strings.chain.map { [$0.entry, $0.next] }, "seed \(seed)")
            let asked = parents.flatMap(\.misContactRef) + (0..<50).flatMap { _ in Self.asciiReferences(&generator) }
            for reference in asked {
                #expect(bytes.firstLink(of: reference) == strings.firstLink(of: reference), "\(reference), seed \(seed)")
            }
        }
    }

    @Test func aReferenceBeyondASCIIIsNotLookedUpByBytes() {
        let parents = Self.entries([["S1/C1"], ["S1/K1"]])
        let bytes = ASCIIReferenceChains.of(parents)!
        #expect(bytes.firstLink(of: "S1/C1") == .link(0))
        #expect(bytes.firstLink(of: "S1/C2") == .absent)
        // The Kelvin sign is "K" as a String.
        #expect(bytes.firstLink(of: "S1/\u{212A}1") == .unknown)
        #expect(StringReferenceChains(parents).firstLink(of: "S1/\u{212A}1") == .link(1))
        #expect(ASCIIReferenceChains.of(Self.entries([["S1/C1"], ["S1/Zo\u{EB}"]])) == nil)
    }

    /// References beyond ASCII on either side, with spellings equal as Strings: the matching is the
    /// general form's and the dictionaries' of old.
    @Test func referencesBeyondASCIIMatchAsStrings() {
        let spellings = ["S1/Zo\u{EB}", "S1/Zoe\u{308}", "S1/\u{212A}1", "S1/K1", "S1/C1", "S1/C2", "S2/U1/1", "S2/\u{C5}/1", "S2/A\u{30A}/1"]
        for seed in 0..<300 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let people = (0..<Int.random(in: 1..<8, using: &generator)).map { index in
                F.person(
                    "P\(index)", refs: (0..<Int.random(in: 1..<3, using: &generator)).map { _ in spellings.randomElement(using: &generator)! },
                    family: ["Smith", "Jones"].randomElement(using: &generator)!, links: [F.child("S1/U1")])
            }
            var parents = F.settled(people).parents
            for index in parents.indices where Bool.random(using: &generator) {
                parents[index].misContactRef = Set((0..<Int.random(in: 0..<3, using: &generator)).map { _ in spellings.randomElement(using: &generator)! })
            }
            parents.shuffle(using: &generator)
            let fast = IndexMatching(desired: people, parents: parents)
            let general = IndexMatching(desired: people, parents: parents, byStrings: true)
            let reference = DictionaryMatching(desired: people, parents: parents)
            #expect(fast.entryIndexOfPerson == general.entryIndexOfPerson, "seed \(seed)")
            #expect(fast.entryIndexOfPerson == people.indices.map { reference.entryOfPerson[$0] ?? -1 }, "seed \(seed)")
            #expect(fast.conflicts == general.conflicts && fast.unmatchedEntries == general.unmatchedEntries, "seed \(seed)")
            #expect(fast.conflicts.map { [$0.persons, $0.entries] } == reference.conflicts.map { [$0.persons, $0.entries] }, "seed \(seed)")
        }
        // A person's reference spelt otherwise than the entry's finds it.
        let person = F.person("P1", refs: ["S1/\u{212A}1"], links: [F.child("S1/U1")])
        let parents = Self.entries([["S1/C9"], ["S1/K1"]])
        #expect(IndexMatching(desired: [person], parents: parents).entryIndexOfPerson == [1])
    }

    /// On ASCII worlds the bytes' matching is the general form's (`PlanMatchingFlatTests` compares it with
    /// the dictionaries' too).
    @Test func asciiWorldsMatchAsTheGeneralForm() {
        for seed in 0..<200 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let codes = (0..<8).map { _ in Int.random(in: 0...1_000_000, using: &generator) }
            let people = PlanPropertyTests.world(codes)
            let directory = PlanMatchingFlatTests.mixed(F.settled(PlanPropertyTests.world(codes.shuffled(using: &generator))), seed: seed)
            let fast = IndexMatching(desired: people, parents: directory.parents)
            let general = IndexMatching(desired: people, parents: directory.parents, byStrings: true)
            #expect(fast.entryIndexOfPerson == general.entryIndexOfPerson && fast.conflicts == general.conflicts, "seed \(seed)")
            #expect(fast.unmatchedEntries == general.unmatchedEntries, "seed \(seed)")
        }
    }

    /// `Reader.fields()` reads in one pass what `single` and `list` read field by field.
    @Test func theFieldsInOnePassAreEachFieldsOwn() {
        let pool = ["", "a", "Zo\u{EB}", "Zoe\u{308}", "5301000/P1-1", "uid=tom,ou=Pupils,dc=example,dc=org", String(repeating: "long ", count: 40)]
        for seed in 0..<400 {
            var generator = SeededGenerator(seed: UInt64(seed))
            func single() -> String? { Bool.random(using: &generator) ? nil : pool.randomElement(using: &generator)! }
            func list() -> Set<String> { Set((0..<Int.random(in: 0..<4, using: &generator)).map { _ in pool.randomElement(using: &generator)! }) }
            let entry = CurrentParent(
                dn: "uid=p,\(F.base)", uid: "p", misParentId: single(), misContactRef: list(), misChildRef: list(), misChild: list(),
                cn: single(), sn: single(), givenName: single(), displayName: single(), mail: single(), mobile: single(),
                status: .active, statusReason: single(), statusSince: single(), isLocked: false)
            entry.withValues { reader in
                let fields = reader.fields()
                func same(_ a: UnsafeRawBufferPointer?, _ b: UnsafeRawBufferPointer?) -> Bool { a.map(Array.init) == b.map(Array.init) }
                func same(_ a: PackedParentValues.Values, _ b: PackedParentValues.Values) -> Bool { a.map(Array.init) == b.map(Array.init) && a.count == b.count }
                #expect(same(fields.misParentId, reader.single(.misParentId)) && same(fields.cn, reader.single(.cn)), "seed \(seed)")
                #expect(same(fields.sn, reader.single(.sn)) && same(fields.givenName, reader.single(.givenName)), "seed \(seed)")
                #expect(same(fields.displayName, reader.single(.displayName)) && same(fields.mail, reader.single(.mail)), "seed \(seed)")
                #expect(same(fields.mobile, reader.single(.mobile)), "seed \(seed)")
                #expect(same(fields.misContactRef, reader.list(.misContactRef)) && same(fields.misChildRef, reader.list(.misChildRef)), "seed \(seed)")
                #expect(same(fields.misChild, reader.list(.misChild)), "seed \(seed)")
            }
        }
    }
}
