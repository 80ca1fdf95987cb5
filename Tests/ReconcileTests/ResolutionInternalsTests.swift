import Roster
import Testing
@testable import Reconcile
import TestRandom

// The internal pieces that make a local authority's resolution fast (issue 4's speed target) must give
// exactly what the plain forms give: numbered pupils, two threads, match forms made on bytes, the
// same-contact-id join by neighbours, links found by their neighbour.

/// Families over three schools in two formats: siblings, a shared family e-mail, a grandparent with the
/// father's name, a pupil with two contacts of one name, a parent at two schools.
private let schools: [School] = [
    School("5301")
        .pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org", at: .highStreet),
               .father("John Smith", id: "C2", email: "family@example.org", at: .highStreet),
               .grandfather("John Smith", id: "C3", at: .highStreet))
        .pupil("P2", .mother("Jane Smith", id: "C1"), .father("Jon Smith", id: "C2", email: "family@example.org"))
        .pupil("P3", .mother("Amy Brown", id: "C4", mobile: "07700 900123"), .mother("Amy Brown", id: "C5")),
    School("5302", ids: false)
        .pupil("Q1", .mother("Mrs Jane Smith", email: "JANE@example.org"), .father("Johnny Smith", email: "family@example.org"))
        .pupil("Q2", .mother("Amy Browne", mobile: "+44 7700 900123"), .father("Tom Brown", at: .millLane)),
    School("5303")
        .pupil("R1", .mother("Amy Brown", id: "D1", at: .millLane), .father("Thomas Brown", id: "D2", at: .millLane))
        .pupil("R2", .mother("Zoë Øster", id: "D3", email: "zoe@example.org"), .mother("Zoe Oster", id: "D4")),
]

private var sources: [RosterSource] { schools.map { RosterSource(name: $0.source, roster: $0.roster) } }

@Suite struct ResolutionInternalsTests {
    @Test func numberedPupilsJoinAndRefuseAsTheirReferencesDo() {
        // The public path: every record carries its pupils' references.
        var records: [IdentityRecord] = []
        for source in sources {
            for contact in source.roster.contacts {
                records.append(IdentityRecord(
                    contact: contact, links: source.roster.links.filter { $0.contact == contact.reference },
                    source: source.name))
            }
        }
        let referenced = IdentityResolver.resolve(records)
        // The resolver's path: the records as a table made from the roster, pupils as numbers.
        let input = ResolverInput(
            sources, PupilTable(sources, policy: EligibilityPolicy(), on: runDate), twoThreadsFrom: .max)
        #expect(input.records.indices.map { input.records.record($0, pupils: records[$0].pupils) } == records)
        let numbered = IdentityResolver.resolve(input.records, pupils: input.numberedPupils, overrides: [])
        #expect(numbered == referenced)
        #expect(numbered.nearMisses.contains { $0.reason == .samePupil })
    }

    @Test func twoThreadsGiveWhatOneGives() {
        let one = ParentResolver.resolve(
            sources, policy: EligibilityPolicy(), overrides: [], on: runDate, usernames: [:], twoThreadsFrom: .max)
        let two = ParentResolver.resolve(
            sources, policy: EligibilityPolicy(), overrides: [], on: runDate, usernames: [:], twoThreadsFrom: 0)
        #expect(one == two)
        #expect(one == ParentResolver.resolve(sources, policy: EligibilityPolicy(), on: runDate))
        #expect(one.parents.count > 5 && !one.warnings.isEmpty)
    }

    @Test func theRecordsOfTwoThreadsKeepTheSourcesOrder() {
        let one = ResolverInput(sources, PupilTable(sources, policy: EligibilityPolicy(), on: runDate), twoThreadsFrom: .max)
        let two = ResolverInput(sources, PupilTable(sources, policy: EligibilityPolicy(), on: runDate), twoThreadsFrom: 0)
        #expect(one.records.indices.map { one.records.record($0, pupils: []) }
            == two.records.indices.map { two.records.record($0, pupils: []) })
        // The core and the values built apart: the numbers one thread gives.
        #expect(one.records.given == two.records.given && one.records.family == two.records.family)
        #expect(one.records.emailFlat == two.records.emailFlat && one.records.mobileFlat == two.records.mobileFlat)
        #expect(one.records.address == two.records.address && one.records.school == two.records.school)
        #expect(one.linkStart == two.linkStart && one.linkFlat == two.linkFlat)
        #expect(one.places.map { $0.source } == two.places.map { $0.source } && one.places.map { $0.contact } == two.places.map { $0.contact })
        #expect(one.numberedPupils.flat == two.numberedPupils.flat)
    }

    @Test func halvesWeighTheSameAndComeBackInOrder() {
        #expect(Halves.cut(10) == 5)
        #expect(Halves.cut(3) { [100, 1, 1][$0] } == 1)
        #expect(Halves.cut(0) == 0)
        for parallel in [false, true] {
            let (first, second) = Halves.run(10, cut: 4, parallel: parallel) { Array($0) }
            #expect(first == [0, 1, 2, 3] && second == [4, 5, 6, 7, 8, 9])
        }
    }

    /// `fill` puts each half's items in place: the array `run`'s two halves joined make, with each half's
    /// other result, whatever the cut (none, all, between), on one thread or two.
    @Test func halvesFilledInPlaceAreTheHalvesJoined() {
        for parallel in [false, true] {
            for (count, cut) in [(0, 0), (1, 0), (1, 1), (10, 4), (10, 10), (25_000, 12_345)] {
                let filled = Halves.fill(count, cut: cut, parallel: parallel) { range, slots in
                    for index in range { slots.put("item \(index)", at: index) }
                    return range.count
                }
                let (first, second) = Halves.run(count, cut: cut, parallel: parallel) { range in range.map { "item \($0)" } }
                #expect(filled.items == first + second && filled.first == cut && filled.second == count - cut)
            }
        }
    }

    /// Links' pupils numbered in place, a run of one pupil's links answered from its first, are what a
    /// look-up per link gives: pupils of the rosters and pupils only links name, ids equal as strings but
    /// not as bytes ("é" composed and decomposed), runs broken and met again.
    @Test func pupilNumbersOfRunsAreTheNumbersLookedUpOneByOne() {
        let ids = ["P1", "P2", "Q1", "R1", "GONE", "caf\u{E9}", "cafe\u{301}", "\u{212A}", "K"]
        let contact = sources[0].roster.contacts[0].reference
        for seed in UInt64(0)..<200 {
            var random = SeededGenerator(seed: seed)
            let links = (0..<Int.random(in: 0...30, using: &random)).map { line in
                ContactLink(
                    pupil: PupilReference(schoolID: ["5301", "5302", "5303"].randomElement(using: &random)!,
                                          pupilID: ids.randomElement(using: &random)!),
                    contact: contact, origin: SourceLocation(file: "x.csv", line: line), relationshipRaw: nil,
                    relationship: .unknown, priority: nil, hasParentalResponsibility: .unknown, hasCourtOrder: .unknown,
                    accessWithdrawn: .unknown)
            }
            // Runs: each link repeated a random number of times.
            let runs = links.flatMap { link in Array(repeating: link, count: Int.random(in: 1...3, using: &random)) }
            var inPlace = PupilTable(sources, policy: EligibilityPolicy(), on: runDate)
            var oneByOne = inPlace
            let numbers = ResolverInput.pupilNumbers(of: runs, in: &inPlace)
            #expect(numbers == runs.map { oneByOne.number(of: $0.pupil) }, "seed \(seed)")
            #expect(inPlace.count == oneByOne.count && inPlace.onRoll == oneByOne.onRoll, "seed \(seed)")
            #expect(inPlace.needsApproval == oneByOne.needsApproval, "seed \(seed)")
        }
    }

    @Test func aPupilOnlyALinkNamesIsNotOnRoll() {
        var roster = schools[0].roster
        roster.links.append(ContactLink(
            pupil: PupilReference(schoolID: "5301", pupilID: "GONE"), contact: roster.contacts[0].reference,
            origin: SourceLocation(file: "x.csv", line: 9), relationshipRaw: "mother", relationship: .mother,
            priority: 1, hasParentalResponsibility: .yes, hasCourtOrder: .unknown, accessWithdrawn: .unknown))
        let resolution = ParentResolver.resolve([RosterSource(name: "x.csv", roster: roster)], policy: EligibilityPolicy(), on: runDate)
        let jane = resolution.parent("5301/C1")
        #expect(jane?.links.first { $0.pupil.pupilID == "GONE" }?.reasons == [.notOnRoll])
        #expect(jane?.isEligible == true)
    }

    @Test func asciiMatchFormsAreTheFoldedWords() {
        func address(_ line: String, _ postcode: String = "AB1 2CD") -> String? {
            MatchForm.address(PostalAddress(lines: [line], postcode: postcode, normalisedPostcode: postcode))
        }
        #expect(address("12 High St") == "12 high street|AB1 2CD")
        #expect(address("12, High Street.") == "12 high street|AB1 2CD")
        #expect(address("Flat 3 - 12 Mill Ln,") == "flat 3 12 mill lane|AB1 2CD")
        #expect(address("St") == "street|AB1 2CD")
        #expect(address("12 Highst") == "12 highst|AB1 2CD")
        #expect(address("12 Station Approach") == "12 station approach|AB1 2CD")
        #expect(address("...") == nil)
        #expect(address("") == nil)
        // The same line with an accent takes the Unicode path and folds to the same words.
        #expect(address("12 Hígh St") == "12 high street|AB1 2CD")
        #expect(MatchForm.name("Smith-Jones") == "smith jones")
        #expect(MatchForm.name(" O'Brien  ") == "obrien")
        #expect(MatchForm.name("-Anne--Marie-") == "anne marie")
        #expect(MatchForm.name("Zoë") == "zoe")
        #expect(MatchForm.name("") == "")
        #expect(MatchForm.name(nil) == "")
    }

    @Test func sameContactIDJoinsWhateverTheReferencesSay() {
        func record(_ reference: String, _ id: String?, source: String, pupil: String) -> IdentityRecord {
            IdentityRecord(reference: reference, source: source, school: "S", contactID: id, given: "jane",
                           family: "smith", pupils: [pupil])
        }
        // Referenced as school/contact: neighbours in canonical order.
        let plain = IdentityResolver.resolve([
            record("S/C1", "C1", source: "b.csv", pupil: "S/P1"), record("S/C2", "C2", source: "a.csv", pupil: "S/P2"),
            record("S/C1", "C1", source: "a.csv", pupil: "S/P3"),
        ])
        #expect(plain.persons.map { $0.references } == [["S/C1", "S/C1"], ["S/C2"]])
        #expect(plain.persons[0].matchedOn == [.contactID])
        // References that do not spell the id (records built by hand): the same id still joins.
        #expect(!ClusteringState.isReferencedByContactID(record("X1", "C1", source: "a", pupil: "P")))
        #expect(ClusteringState.isReferencedByContactID(record("X1", nil, source: "a", pupil: "P")))
        let odd = IdentityResolver.resolve([
            record("X1", "C1", source: "a.csv", pupil: "S/P1"), record("X2", "C2", source: "a.csv", pupil: "S/P2"),
            record("X3", "C1", source: "b.csv", pupil: "S/P3"),
        ])
        #expect(odd.persons.map { $0.references } == [["X1", "X3"], ["X2"]])
    }

    @Test func linksFindTheirContactInAnyOrder() {
        let school = PupilReference(schoolID: "S", pupilID: "P")
        func contact(_ id: String) -> Contact {
            Contact(reference: .id(id, school: "S"), origin: SourceLocation(file: "s.csv", line: 1),
                    name: PersonName(given: "A", family: "B"))
        }
        func link(_ id: String) -> ContactLink {
            ContactLink(pupil: school, contact: .id(id, school: "S"), origin: SourceLocation(file: "s.csv", line: 1),
                        relationshipRaw: "mother", relationship: .mother, priority: 1, hasParentalResponsibility: .yes,
                        hasCourtOrder: .unknown, accessWithdrawn: .unknown)
        }
        var roster = Roster()
        roster.contacts = [contact("A"), contact("B"), contact("A"), contact("C")]
        roster.links = [link("B"), link("A"), link("A"), link("Z"), link("C"), link("B"), link("A")]
        let links = LinksByContact(roster)
        #expect(Array(links[0]) == [1, 2, 6])
        #expect(Array(links[1]) == [0, 5])
        // A second contact with A's reference has A's links.
        #expect(Array(links[2]) == [1, 2, 6])
        #expect(Array(links[3]) == [4])
    }
}

@Suite struct CanonicalOrderTests {
    @Test func referencesSortAsTheirTextsWhateverTheirLength() {
        let references = [
            "S/C10", "S/C1", "S/C2", "S/C1", "aaaaaaaaaaaaaaaaZ", "aaaaaaaaaaaaaaaaAB", "aaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaa", "ab", "ab\u{0}", "ab\u{0}c", "", "B", "a", "5301/C000123", "5301/C000122",
        ]
        func record(_ reference: String, _ source: String) -> IdentityRecord {
            IdentityRecord(reference: reference, source: source, school: "S", contactID: nil, given: "a",
                           family: "b", pupils: [])
        }
        let records = references.enumerated().map { record($1, $0 % 2 == 0 ? "b.csv" : "a.csv") }
        let expected = records.indices.sorted {
            (records[$0].reference, records[$0].source) < (records[$1].reference, records[$1].source)
        }
        #expect(CanonicalRecords(records).order == expected)
        #expect(CanonicalRecords.asciiSortKeys(references) != nil)
        // Not ASCII: the texts are compared as strings.
        #expect(CanonicalRecords.asciiSortKeys(["Zoë/1"]) == nil)
        // "f" sorts before "é" (U+00E9); "e" and a combining accent is the same letter as "é".
        let accented = [record("é/2", "a"), record("e\u{301}/1", "a"), record("f", "a")]
        #expect(CanonicalRecords(accented).order == [2, 1, 0])
    }
}

@Suite struct PupilSetTests {
    /// `PupilSet` (an array while small) answers as a `Set` of the same numbers does, across the
    /// switch from array to set, for random clusters grown by inserts and unions.
    @Test func answersAsASetDoesOnRandomInputs() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            // Sizes around `largestArray`, numbers from a small range so that overlaps are common.
            let range = Int32(0)...Int32(Int.random(in: 1...60, using: &random))
            func draw() -> [Int32] {
                (0..<Int.random(in: 0...(PupilSet.largestArray + 8), using: &random)).map { _ in
                    Int32.random(in: range, using: &random)
                }
            }
            let (x, y) = (draw(), draw())
            var (a, b) = (PupilSet(x), PupilSet(y))
            var (setA, setB) = (Set(x), Set(y))
            #expect(a.count == setA.count && b.count == setB.count)
            #expect(a.isDisjoint(with: b) == setA.isDisjoint(with: setB))
            #expect(b.isDisjoint(with: a) == setB.isDisjoint(with: setA))
            for probe in range { #expect(a.contains(probe) == setA.contains(probe)) }
            let extra = Int32.random(in: range, using: &random)
            a.insert(extra)
            setA.insert(extra)
            a.formUnion(b)
            setA.formUnion(setB)
            #expect(a.count == setA.count)
            for probe in range { #expect(a.contains(probe) == setA.contains(probe)) }
            b.formUnion(a)
            setB.formUnion(setA)
            #expect(b.count == setB.count && !b.isDisjoint(with: a) == !setB.isDisjoint(with: setA))
        }
    }
}

@Suite struct RecordTextTests {
    /// The street word found by its packed integer is the one the dictionary gives, for every short
    /// form and for random words of up to five letters (most of them no street word at all).
    @Test func packedStreetWordsFindWhatTheDictionaryFinds() {
        var random = SeededGenerator(seed: 5)
        let letters = Array("abcdegiklnprstvwy")
        var words = Array(MatchForm.streetWords.keys) + ["", "s", "str", "street", "rdd", "lnn", "t"]
        for _ in 0..<5_000 {
            words.append(String((0..<Int.random(in: 1...5, using: &random)).map { _ in letters.randomElement(using: &random)! }))
        }
        for word in words where word.utf8.count <= 5 {
            let packed = MatchForm.packedWord(word.utf8)
            #expect(MatchForm.streetTable.first(where: { $0.short == packed })?.long == MatchForm.streetWords[word])
        }
        // Lengths tell apart words that differ only by leading zero bytes.
        #expect(MatchForm.packedWord([0, 0x61]) != MatchForm.packedWord([0x61]))
    }

    @Test func referenceTextIsTheDescription() {
        var random = SeededGenerator(seed: 9)
        let pieces = ["5301", "S", "", "C000123", "Zoë", "e\u{301}", "日本", "a/b", "0123456789abcdef"]
        for _ in 0..<500 {
            let school = pieces.randomElement(using: &random)! + pieces.randomElement(using: &random)!
            let id = pieces.randomElement(using: &random)! + pieces.randomElement(using: &random)!
            let byID = ContactReference.id(id, school: school)
            #expect(IdentityRecord.text(of: byID) == byID.description)
            #expect(Array(IdentityRecord.text(of: byID).utf8) == Array(byID.description.utf8))
            let byPosition = ContactReference.position(Int.random(in: 1...9, using: &random),
                                                       of: PupilReference(schoolID: school, pupilID: id))
            #expect(IdentityRecord.text(of: byPosition) == byPosition.description)
        }
    }
}

@Suite struct RadixSortTests {
    /// The radix sort gives `sort()`'s result for random keys of every shape blocking packs: small and
    /// large counts, values spread over all 64 bits, only the low bits, or bytes all values share,
    /// with and without repeats.
    @Test func sortsAsTheStandardSortDoes() {
        var random = SeededGenerator(seed: 17)
        let masks: [UInt64] = [.max, 0xFFFF, 0xFFFF_FFFF_0000_0000, 0x00FF_00FF_00FF_00FF, 0x7, 0]
        for round in 0..<60 {
            let count = [0, 1, 2, 100, RadixSort.smallest - 1, RadixSort.smallest, 3_000, 20_000][round % 8]
            let mask = masks[round % masks.count]
            let fixed = UInt64.random(in: 0...UInt64.max, using: &random) & ~mask
            var values = (0..<count).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) & mask | fixed }
            if round % 3 == 0, !values.isEmpty { values += values.prefix(count / 2) }
            var sorted = values
            RadixSort.sort(&sorted)
            #expect(sorted == values.sorted())
        }
    }
}
