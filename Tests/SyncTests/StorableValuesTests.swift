import Foundation
@testable import Reconcile
import Roster
import Testing

@testable import Sync
import TestRandom

/// `StorableValues.unreadableMobiles(_:in:)`, which keeps only the contacts with an unreadable mobile,
/// against the form it replaced (every record of a parent without a mobile, last source's record kept).
@Suite struct StorableValuesTests {
    static func everyRecordForm(_ parents: [Parent], in sources: SourceSet) -> [PlanWarning] {
        let wanted = Set(parents.lazy.filter { $0.mobile == nil }.flatMap(\.records))
        guard !wanted.isEmpty else { return [] }
        var contacts: [ContactReference: Contact] = [:]
        for source in sources.readable {
            for contact in source.roster.contacts where wanted.contains(contact.reference) { contacts[contact.reference] = contact }
        }
        return StorableValues.unreadableMobiles(parents, contacts: contacts)
    }

    @Test func theContactsWithUnreadableMobilesGiveTheWarningsEveryRecordGave() {
        var generator = SeededGenerator(seed: 41)
        let phones = [
            PhoneNumber(raw: "ring after 6pm", e164: nil, kind: .mobile), PhoneNumber(raw: "07700 900123", e164: "+447700900123", kind: .mobile),
            PhoneNumber(raw: "n/a", e164: nil, kind: .home), PhoneNumber(raw: "x", e164: nil, kind: .work),
        ]
        let references = (0..<6).map { ContactReference.id("C\($0)", school: "S\($0 % 2)") }
        for round in 0..<400 {
            // Two or three sources, a reference sometimes in more than one of them with other numbers.
            let config = SourceConfig(format: .csv, path: "a.csv", pathAsWritten: "a.csv", location: ConfigLocation(file: "test.yaml"))
            var sources = SourceSet()
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let contacts = references.filter { _ in Bool.random(using: &generator) }.map { reference in
                    Contact(
                        reference: reference, origin: SourceLocation(file: "a.csv", line: round, column: 1), name: PersonName(given: "A", family: "B"),
                        phones: (0..<Int.random(in: 0...2, using: &generator)).map { _ in phones.randomElement(using: &generator)! })
                }
                sources.readable.append(SourceSet.Readable(config: config, roster: Roster(contacts: contacts)))
            }
            let parents = (0..<4).map { index in
                Parent(
                    id: "P\(index)", givenName: "A", familyName: "B",
                    records: references.filter { _ in Int.random(in: 0..<3, using: &generator) == 0 }, children: [], links: [],
                    isEligible: true, reasons: [], matchedOn: [], email: nil, mobile: Bool.random(using: &generator) ? nil : "+447700900999")
            }
            #expect(StorableValues.unreadableMobiles(parents, in: sources) == Self.everyRecordForm(parents, in: sources))
        }
    }

    /// The warnings of the eligible people read in place are those of the people taken out of a filtered
    /// collection one by one (the form they replaced), in the same order.
    @Test func theWarningsReadInPlaceAreThoseOfTheFilteredPeople() {
        var generator = SeededGenerator(seed: 43)
        let emails: [String?] = [nil, "ann@example.org", "zo\u{EB}@example.org", "", "b\u{F6}b@example.org"]
        let mobiles: [String?] = [nil, "+447700900123", "07700 900123 (eve)", "07700 900123 #2", "\u{660}7700", ""]
        for _ in 0..<300 {
            let parents = (0..<Int.random(in: 0..<12, using: &generator)).map { index in
                Parent(
                    id: "P\(index)", givenName: "A", familyName: "B", records: [], children: [], links: [],
                    isEligible: Bool.random(using: &generator), reasons: [], matchedOn: [],
                    email: emails.randomElement(using: &generator)!, mobile: mobiles.randomElement(using: &generator)!)
            }
            #expect(StorableValues.warnings(eligibleIn: parents) == StorableValues.warnings(parents.lazy.filter(\.isEligible)))
        }
        // Both kinds, for one person, in that order.
        let both = Parent(
            id: "P9", givenName: "A", familyName: "B", records: [], children: [], links: [], isEligible: true, reasons: [],
            matchedOn: [], email: "zo\u{EB}@example.org", mobile: "07700 #")
        #expect(StorableValues.warnings(eligibleIn: [both]).map(\.message) == [
            "P9: e-mail address zo\u{EB}@example.org has characters the directory's mail attribute cannot hold (ASCII only); left out",
            "P9: mobile number 07700 # has characters a telephone number cannot hold; left out",
        ])
    }

    @Test func capitalsAreKeptAsTheyAre() {
        for value in ["U5301000P691", "abc", "AbC", "É", "é", "ß", "A-1_B", "", "z", "{", "`", "ÿ"] {
            #expect(SourceSet.upperCased(value) == value.uppercased(), "\(value)")
        }
    }
}
