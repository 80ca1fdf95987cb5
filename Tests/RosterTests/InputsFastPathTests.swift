@testable import Roster
import Testing
import TestRandom

/// Answers the readers give from bytes or in a smaller buffer must be the general ones: `splitTitle`
/// on a one-word ASCII forename, and the builder's rosters copied at their size.
@Suite struct InputsFastPathTests {
    /// Pieces forenames are made of: titles with and without a dot and in any case, every ASCII white
    /// space `Character.isWhitespace` knows, CR LF (one `Character`), no-break and other Unicode spaces,
    /// accents composed and decomposed, a combining mark after a space, Windows-1252's curly quote.
    private static let pieces = [
        "Mrs", "mrs.", "MR", "Dr.", "Professor", "prof", "Sir", "Miss", "Mx", "Revd", "Ann", "Jo", "Zoë", "Zoe\u{308}",
        "Ébo", "O'Neil", "Mary-Jane", "X", "", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{A0}",
        "\u{2003}", "\u{85}", "\u{2028}", " \u{301}", "’", "_", ".", "mr.x", "1",
    ]

    @Test func splitTitleAnswersAsSplittingByCharacters() {
        for seed in UInt64(0)..<3_000 {
            var random = SeededGenerator(seed: seed)
            var given = ""
            for _ in 0..<(1 + random.next(4)) { given += Self.pieces[random.next(Self.pieces.count)] }
            let fast = NameNormaliser.splitTitle(fromGiven: given)
            let general = NameNormaliser.splitTitleByCharacters(fromGiven: given)
            #expect(fast.title == general.title && fast.given == general.given, "seed \(seed): \(given.debugDescription)")
            // The answer from the bytes is only given where it must be the general one.
            if NameNormaliser.hasNoASCIISpaceAndIsASCII(given) {
                #expect(general.title == nil && general.given == given, "seed \(seed)")
            }
        }
        #expect(NameNormaliser.hasNoASCIISpaceAndIsASCII("Ann"))
        #expect(!NameNormaliser.hasNoASCIISpaceAndIsASCII("Mrs Ann"))
        #expect(!NameNormaliser.hasNoASCIISpaceAndIsASCII("Zoë"))
        #expect(!NameNormaliser.hasNoASCIISpaceAndIsASCII("Ann\u{0B}"))
    }

    @Test func anArrayIsCopiedAtItsSizeOnlyWhenMuchOfItIsUnused() {
        for count in [0, 1, 5, 17, 100, 290, 1_000, 4_097] {
            var array: [String] = []
            for index in 0..<count { array.append("value \(index) long enough for the heap") }
            let sized = RosterBuilder.atItsSize(array)
            #expect(sized == array)
            #expect(sized.capacity - sized.count <= sized.count / 4 + 4, "count \(count), capacity \(sized.capacity)")
        }
    }

    @Test func aFinishedRosterHoldsWhatWasAddedInArraysOfItsSize() throws {
        var builder = RosterBuilder()
        let origin = SourceLocation(file: "school.csv", line: 2)
        for pupil in 0..<300 {
            let reference = PupilReference(schoolID: "5301000", pupilID: "P\(pupil)")
            builder.add(Pupil(reference: reference, origin: origin, name: PersonName(given: "Ann", family: "Smith \(pupil)")))
            for contact in 0..<2 {
                let contactReference = ContactReference.id("P\(pupil)-\(contact)", school: "5301000")
                builder.add(Contact(reference: contactReference, origin: origin, name: PersonName(given: "Jo", family: "Smith")))
                builder.add(ContactLink(pupil: reference, contact: contactReference, origin: origin, priority: contact + 1))
            }
        }
        let roster = try builder.finish(source: SourceLocation(file: "school.csv"))
        #expect(roster == builder.roster)
        #expect(roster.pupils.count == 300 && roster.contacts.count == 600 && roster.links.count == 600)
        for (count, capacity) in [(roster.pupils.count, roster.pupils.capacity), (roster.contacts.count, roster.contacts.capacity),
                                  (roster.links.count, roster.links.capacity)] {
            #expect(capacity - count <= count / 4 + 4, "\(count) in \(capacity)")
        }
    }
}
