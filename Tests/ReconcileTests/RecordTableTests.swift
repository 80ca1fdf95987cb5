import Roster
import Testing
@testable import Reconcile
import TestRandom

// Identity resolution works on numbered values (`RecordTable`): blocks counted by number, names compared
// by number. Each fast form is checked here against the general one it replaced: blocks by hashing the
// texts, the name rules on the names' tokens, records kept as strings.

/// Random public records over small pools, with values that are equal as strings but not as bytes
/// ("é" composed and decomposed), a record giving one e-mail twice, and empty names.
private func randomRecords(_ count: Int, _ random: inout SeededGenerator) -> [IdentityRecord] {
    let givens = ["jane", "janet", "john", "j", "jnae", "chris", "christopher", "", "zo\u{E9}", "zoe\u{301}", "mary anne"]
    let families = ["smith", "smith jones", "jones", "brown", "", "o brien", "obrien"]
    let emails = ["a@example.org", "b@example.org", "c@example.org", "r\u{E9}@example.org", "re\u{301}@example.org"]
    let mobiles = ["+447700900001", "+447700900002", "+447700900003"]
    let addresses = ["12 high street|AB1 2CD", "3 mill lane|AB3 4EF", "caf\u{E9} row|AB5 6GH", "cafe\u{301} row|AB5 6GH"]
    func some(_ pool: [String], upTo: Int) -> [String] {
        (0..<Int.random(in: 0...upTo, using: &random)).map { _ in pool.randomElement(using: &random)! }
    }
    return (0..<count).map { index in
        let school = ["S1", "S2", "S\u{E9}", "Se\u{301}"].randomElement(using: &random)!
        let contactID: String? = Bool.random(using: &random) ? "C\(Int.random(in: 0...5, using: &random))" : nil
        return IdentityRecord(
            reference: "\(school)/\(contactID ?? "P")/\(index % 7)", source: ["a.csv", "b.csv"].randomElement(using: &random)!,
            school: school, contactID: contactID, given: givens.randomElement(using: &random)!,
            family: families.randomElement(using: &random)!, emails: some(emails, upTo: 3), mobiles: some(mobiles, upTo: 2),
            address: Bool.random(using: &random) ? addresses.randomElement(using: &random)! : nil,
            pupils: ["\(school)/P\(Int.random(in: 0...3, using: &random))"],
            sex: [nil, RecordedSex.female, .male].randomElement(using: &random)!,
            generation: [nil, Generation.parent, .grandparent].randomElement(using: &random)!)
    }
}

@Suite struct RecordTableTests {
    /// The blocks counted on numbers are the blocks found by hashing the texts: the same values, each
    /// with the same records (a record giving a value twice listed twice), in ascending order.
    @Test func numberedBlocksAreTheHashedBlocks() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let records = randomRecords(Int.random(in: 0...40, using: &random), &random)
            let table = RecordTable(records)
            func compare(_ numbered: [(value: Int32, members: [Int])], _ texts: RecordTable.Interner, _ keyed: [(String, Int)]) {
                let hashed = BlockingKeys.blocks(keyed)
                #expect(numbered.count == hashed.count)
                for (value, members) in numbered {
                    #expect(hashed.contains { $0.0 == texts[value] && $0.1 == members })
                }
            }
            compare(
                BlockingKeys.blocks(table.emailFlat, table.emailStart, valueCount: table.emails.count), table.emails,
                records.indices.flatMap { index in records[index].emails.map { ($0, index) } })
            compare(
                BlockingKeys.blocks(table.mobileFlat, table.mobileStart, valueCount: table.mobiles.count), table.mobiles,
                records.indices.flatMap { index in records[index].mobiles.map { ($0, index) } })
        }
    }

    /// The name rules on numbers answer as they do on the names' tokens, for every pair of a table's names.
    @Test func nameNumbersAgreeAsTheNames() {
        var random = SeededGenerator(seed: 12)
        let records = randomRecords(200, &random)
        let table = RecordTable(records)
        let names = NameTable(table.names.texts)
        for a in records.indices {
            for b in records.indices {
                #expect(names.familiesAgree(table.family[a], table.family[b])
                    == NameCompatibility.familiesAgree(NameKey(records[a].family), NameKey(records[b].family)))
                #expect(names.givenAgreement(table.given[a], table.given[b])
                    == NameCompatibility.givenAgreement(NameKey(records[a].given), NameKey(records[b].given)))
            }
        }
    }

    /// A table gives its records back; values equal as strings share a number, values not equal do not.
    @Test func aTableKeepsItsRecordsAndNumbersEqualValuesOnce() {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<200 {
            let records = randomRecords(Int.random(in: 0...30, using: &random), &random)
            let table = RecordTable(records)
            #expect(table.indices.map { table.record($0, pupils: records[$0].pupils) } == records)
            for a in records.indices {
                for b in records.indices {
                    #expect((table.given[a] == table.given[b]) == (records[a].given == records[b].given))
                    #expect((table.school[a] == table.school[b]) == (records[a].school == records[b].school))
                    #expect((table.address[a] == table.address[b]) == (records[a].address == records[b].address))
                }
            }
        }
    }

    /// Resolving random records whose values are equal as strings but not as bytes: the permuted
    /// canonical table keeps each record's values.
    @Test func theCanonicalTableIsThePermutedRecords() {
        var random = SeededGenerator(seed: 15)
        for _ in 0..<100 {
            let records = randomRecords(Int.random(in: 0...30, using: &random), &random)
            let canonical = CanonicalRecords(records)
            #expect(canonical.table.indices.map { canonical.table.record($0, pupils: records[canonical.order[$0]].pupils) }
                == canonical.order.map { records[$0] })
        }
    }

    /// Names and addresses met again in the roster are looked up by their raw text: the numbers are
    /// those of their match forms (`MatchForm.name` after a typed title is split off, `MatchForm.address`),
    /// whether the text is met first or again, composed or decomposed.
    @Test func rosterValuesMetAgainGetTheNumbersOfTheirMatchForms() {
        var table = RecordTable()
        let givens = ["Jane", "Mrs Jane", "Dr. Anne Marie", "Zo\u{EB}", "Zoe\u{308}", "", "jane", "Mr  John-Paul", "J."]
        let families = ["Smith", "Smith-Jones", "O'Brien", "\u{D8}ster", "", " smith "]
        let lines = ["12 High St", "12 high street", "Caf\u{E9} Row", "Cafe\u{301} Row", "", "Flat 2, 3 Mill Ln", "-"]
        for _ in 0..<2 {
            for raw in givens {
                let (number, title) = table.givenNumber(raw: raw)
                var (expectedTitle, given): (String?, String) = (nil, raw)
                if raw.utf8.contains(0x20) { (expectedTitle, given) = NameNormaliser.splitTitle(fromGiven: raw) }
                #expect(table.names[number] == MatchForm.name(given) && title == expectedTitle)
            }
            for raw in families {
                let number = table.familyNumber(raw: raw)
                #expect(table.names[number] == MatchForm.name(raw))
            }
            for line in lines {
                for postcode in ["AB1 2CD", "AB12CD", nil] {
                    let address = PostalAddress(lines: [line], postcode: postcode, normalisedPostcode: postcode)
                    let number = table.addressNumber(address)
                    let expected = MatchForm.address(address)
                    if number == RecordTable.none {
                        #expect(expected == nil)
                    } else {
                        #expect(table.addresses[number] == expected)
                    }
                }
            }
            #expect(table.addressNumber(nil) == RecordTable.none)
            #expect(table.addressNumber(PostalAddress(lines: [], postcode: "AB1 2CD", normalisedPostcode: "AB1 2CD")) == RecordTable.none)
        }
    }

    /// The interner files a new text with one look-up (the dictionary's `default` subscript): its numbers
    /// are those of a look-up then a store, texts equal as strings ("é" composed and decomposed) sharing
    /// one, also once the look-up was forgotten and is rebuilt.
    @Test func theInternerNumbersAsALookUpThenAStore() {
        let pool = ["a@example.org", "b@example.org", "r\u{E9}@example.org", "re\u{301}@example.org", "", "K", "\u{212A}", "+447700900001"]
        for seed in UInt64(0)..<200 {
            var random = SeededGenerator(seed: seed)
            var interner = RecordTable.Interner()
            var reference: [String: Int32] = [:]
            var texts: [String] = []
            for step in 0..<(1 + Int.random(in: 0...40, using: &random)) {
                if step == 20 { interner.forgetLookUp() }
                let text = pool.randomElement(using: &random)!
                let expected: Int32
                if let known = reference[text] {
                    expected = known
                } else {
                    expected = Int32(texts.count)
                    reference[text] = expected
                    texts.append(text)
                }
                #expect(interner.number(text) == expected, "seed \(seed), step \(step)")
                #expect(interner.count == texts.count, "seed \(seed), step \(step)")
            }
            for number in texts.indices { #expect(interner[Int32(number)] == texts[number], "seed \(seed)") }
        }
    }
}
