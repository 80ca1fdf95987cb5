import Testing

@testable import Directory
import TestRandom

/// `AttributeNameLookup` answers for the names of entries read one after another from the names it has
/// met: every answer is the general form's (`find(_:in:)`, the name looked up in the list), whatever
/// order, case or number of names the entries come with.
@Suite struct AttributeNameLookupTests {
    static let listed = ["objectClass", "uid", "cn", "sn", "misContactRef", "employeeNumber"]

    /// Each entry's names, looked up through one lookup kept from entry to entry (and one that remembers
    /// nothing), against the general form for each name alone.
    static func expectGeneralAnswers(_ entries: [[[UInt8]]], _ comment: Comment? = nil) {
        let names = AttributeNames(listed)
        var lookup = AttributeNameLookup(names)
        var forgetful = AttributeNameLookup(names, remembering: false)
        for (number, entry) in entries.enumerated() {
            for (position, name) in entry.enumerated() {
                let fast = name.withUnsafeBytes { lookup.find($0) }
                let general = name.withUnsafeBytes { AttributeNameLookup.find($0, in: names) }
                #expect(name.withUnsafeBytes { forgetful.find($0) } == general)
                #expect(fast == general, "entry \(number), position \(position): \(String(decoding: name, as: UTF8.self)) \(comment.map { "\($0)" } ?? "")")
            }
        }
    }

    @Test func theGeneralFormFindsNamesWithoutRegardToCaseAndKnowsTheirSpelling() {
        let names = AttributeNames(Self.listed)
        func find(_ name: String) -> AttributeNameLookup.Found { Array(name.utf8).withUnsafeBytes { AttributeNameLookup.find($0, in: names) } }
        #expect(find("uid") == .init(index: 1, isASCII: true, isSpelledAsListed: true))
        #expect(find("UID") == .init(index: 1, isASCII: true, isSpelledAsListed: false))
        #expect(find("miscontactref") == .init(index: 4, isASCII: true, isSpelledAsListed: false))
        #expect(find("description") == .init(index: nil, isASCII: true, isSpelledAsListed: false))
        #expect(find("uïd") == .init(index: nil, isASCII: false, isSpelledAsListed: false))
        #expect(find("") == .init(index: nil, isASCII: true, isSpelledAsListed: false))
    }

    /// Entries alike, then in another order, with names added, dropped, repeated, in another case, not
    /// ASCII, empty, or a prefix of a listed name; then alike again.
    @Test func entriesInAnyOrderGetTheGeneralAnswers() {
        let written = ["objectClass", "uid", "cn", "sn", "misContactRef", "employeeNumber"]
        let entries: [[String]] = [
            written, written,
            ["uid", "objectClass", "cn", "sn", "misContactRef", "employeeNumber"],
            written + ["description", "mail"],
            ["objectClass", "uid"],
            ["objectClass", "uid", "uid", "cn", "cn", "employeeNumber", "employeeNumber"],
            ["OBJECTCLASS", "Uid", "cn", "sn", "MISCONTACTREF", "employeenumber"],
            ["objectClass", "uïd", "cñ", "sn"],
            ["", "u", "ui", "uidx", "objectClas"],
            [],
            written, written,
        ]
        Self.expectGeneralAnswers(entries.map { $0.map { Array($0.utf8) } })
    }

    /// Thousands of entries of random names, some longer than a place in the table, some sharing a slot:
    /// the names the lookup keeps are replaced time and again.
    @Test func randomNamesGetTheGeneralAnswers() {
        let pool = Self.listed + ["UID", "Cn", "description", "mail", "x", "", "objectClassX", "émployeeNumber",
                                  "anAttributeNameLongerThanThirtyTwoBytes", "employeeNumberEmployeeNumberEmpl"]
            + (0..<600).map { "name\($0)" }
        for seed in 0..<10 {
            var generator = SeededGenerator(seed: UInt64(seed))
            func next(_ bound: Int) -> Int { generator.next(bound) }
            var entry = Self.listed
            let entries = (0..<3_000).map { _ -> [[UInt8]] in
                // Mostly the entry before, now and then a name changed, added or dropped.
                switch next(6) {
                case 0: entry[next(entry.count)] = pool[next(pool.count)]
                case 1: entry.append(pool[next(pool.count)])
                case 2: if entry.count > 1 { entry.removeLast() }
                default: break
                }
                return entry.map { Array($0.utf8) }
            }
            Self.expectGeneralAnswers(entries, "seed \(seed)")
        }
    }
}
