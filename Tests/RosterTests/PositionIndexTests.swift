@testable import Roster
import Testing
import TestRandom

/// The builder finds pupils, contacts and links through `PositionIndex` (a hash of the key's bytes,
/// positions only) instead of dictionaries keyed by the references. On random keys, including hashes
/// made to collide in every bit, it must give the position a `Dictionary` gives.
@Suite struct PositionIndexTests {
    /// Keys added in turn as a builder adds records: each found if seen before, else stored at the next
    /// position. `hash` decides how often hashes collide.
    private func expectSameAsDictionary(seed: UInt64, hash: (String) -> UInt64) {
        var generator = SeededGenerator(seed: seed)
        func next(_ bound: Int) -> Int { generator.next(bound) }
        var index = PositionIndex()
        var dictionary: [String: Int] = [:]
        var keys: [String] = []
        if seed % 2 == 0 { index.reserveCapacity(next(300)) }
        for _ in 0..<(200 + next(2_000)) {
            let key = next(3) == 0 && !keys.isEmpty
                ? keys[next(keys.count)] : "C\(next(5_000))"
            let expected = dictionary[key]
            let found = index.find(hash: hash(key), matches: { keys[$0] == key })
            #expect(found == expected, "seed \(seed), key \(key)")
            if found == nil {
                index.insert(hash: hash(key), position: keys.count)
                dictionary[key] = keys.count
                keys.append(key)
            }
            #expect(index.count == dictionary.count)
        }
        for (key, position) in dictionary {
            #expect(index.find(hash: hash(key), matches: { keys[$0] == key }) == position, "seed \(seed)")
        }
        #expect(index.find(hash: hash("absent"), matches: { keys[$0] == "absent" }) == nil)
    }

    @Test func findsWhatADictionaryFinds() {
        for seed in 0..<40 as Range<UInt64> {
            expectSameAsDictionary(seed: seed) { key in
                var hash = KeyHash()
                hash.combine(key)
                return hash.value
            }
        }
    }

    @Test func collidingHashesAreToldApartByTheKey() {
        for seed in 0..<20 as Range<UInt64> {
            // Every key in one of three hashes: the tags agree and the slots chain.
            expectSameAsDictionary(seed: seed) { key in UInt64(key.utf8.count % 3) << 40 }
            // Tags that differ only below the slot bits, and tags all alike with slots alike.
            expectSameAsDictionary(seed: seed) { _ in 0 }
        }
    }

    @Test func referenceHashesTellPartsApart() {
        func hash(_ parts: String...) -> UInt64 {
            var hash = KeyHash()
            for part in parts { hash.combine(part) }
            return hash.value
        }
        #expect(hash("ab", "c") != hash("a", "bc"))
        #expect(hash("", "abc") != hash("abc", ""))
        #expect(
            ContactReference.id("5", school: "12").keyHash != ContactReference.position(5, of: PupilReference(schoolID: "12", pupilID: "")).keyHash)
        #expect(PupilReference(schoolID: "1", pupilID: "23").keyHash != PupilReference(schoolID: "12", pupilID: "3").keyHash)
        // Keys `==` calls equal hash alike whatever their bytes (a dictionary found them as one key).
        #expect("e\u{301}" == "\u{E9}")
        #expect(hash("cafe\u{301}") == hash("caf\u{E9}"))
        #expect("\u{212A}1" == "K1")
        #expect(hash("\u{212A}1") == hash("K1"))
        #expect(
            ContactReference.id("Jos\u{E9}", school: "1").keyHash == ContactReference.id("Jose\u{301}", school: "1").keyHash)
        #expect(hash("caf\u{E9}") != hash("cafe"))
        // A long string (not stored inline) and a short one hash by their bytes alike.
        let long = String(repeating: "x", count: 40)
        #expect(hash(long) == hash(String(long.utf8.map { Character(Unicode.Scalar($0)) })))
    }

    /// The builder merges copies of a contact whose ids are one text in two Unicode forms, as it did
    /// with references as dictionary keys.
    @Test func theBuilderMergesContactIdsEqualInAnotherUnicodeForm() {
        var builder = RosterBuilder()
        for (line, id) in ["Jos\u{E9}", "\u{212A}7", "Jose\u{301}", "K7"].enumerated() {
            builder.add(
                Contact(
                    reference: .id(id, school: "1"), origin: SourceLocation(file: "c.csv", line: line + 2),
                    name: PersonName(family: "Family")))
        }
        #expect(builder.roster.contacts.map(\.reference.description) == ["1/Jos\u{E9}", "1/\u{212A}7"])
    }
}
