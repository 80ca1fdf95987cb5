@testable import Reconcile
import Roster
@testable import Sync
import Testing
import TestRandom

/// The steps that read the rosters for the run's warnings and summary read them in place and look at
/// fewer records than they did (`unreadableMobiles`, `SchoolYear.notes`, `ChildNames`). On random
/// sources — references repeated within a source and across sources, texts that join to the same
/// reference, records no person names — each must answer as its general form does.
@Suite struct SourceFastPathTests {
    private static let location = ConfigLocation(file: "config.yaml")

    private func sources(_ random: inout SeededGenerator) -> SourceSet {
        var set = SourceSet()
        // Ids that join with "/" to the same text ("a/b" + "c" and "a" + "b/c") on purpose.
        // and a school written with "é" composed in one place and decomposed in another.
        let schools = ["5301000", "5301001", "a", "a/b", "\u{E9}cole", "e\u{301}cole"]
        let ids = ["P1", "P2", "b/c", "c", "P3", "É1", "e\u{301}1"]
        for sourceIndex in 0..<(1 + random.next(3)) {
            var roster = Roster()
            for _ in 0..<random.next(30) {
                let reference = PupilReference(schoolID: random.pick(schools), pupilID: random.pick(ids))
                roster.pupils.append(Pupil(
                    reference: reference, origin: SourceLocation(file: "s\(sourceIndex).csv", line: 2),
                    upn: random.next(2) == 0 ? nil : random.pick(["a123", "A123", "straße", "ǆ1"]),
                    name: PersonName(given: random.next(4) == 0 ? nil : random.pick(["Ann", "Zoë", "", "Jo Ann"]),
                                     family: random.pick(["Smith", "Ó Briain", "Lee"])),
                    preferredGivenName: random.next(3) == 0 ? random.pick(["Annie", "Bo"]) : nil,
                    yearGroup: random.next(5) == 0 ? nil : random.pick(["6", "Year 6", "11", "Y11", "5", "R", "13"]),
                    schoolName: random.next(2) == 0 ? nil : "School \(reference.schoolID)",
                    leavingDate: random.next(6) == 0 ? CalendarDate(year: 2026, month: 7, day: 20 + random.next(3)) : nil))
            }
            for _ in 0..<random.next(40) {
                let reference = ContactReference.id(random.pick(["C1", "C2", "C3", "C4", "C/5"]), school: random.pick(schools))
                var phones: [PhoneNumber] = []
                for _ in 0..<random.next(3) {
                    let readable = random.next(3) != 0
                    phones.append(PhoneNumber(
                        raw: readable ? "07700 900\(random.next(1000))" : random.pick(["ring after 6", "n/a"]),
                        e164: readable ? "+447700900\(random.next(1000))" : nil,
                        kind: random.pick([.mobile, .home, .work, .mobile])))
                }
                roster.contacts.append(Contact(
                    reference: reference, origin: SourceLocation(file: "s\(sourceIndex).csv", line: 3 + random.next(50)),
                    name: PersonName(given: "Ann", family: "Smith"), phones: phones))
            }
            for _ in 0..<random.next(60) {
                roster.links.append(ContactLink(
                    pupil: PupilReference(schoolID: random.pick(schools), pupilID: random.pick(ids)),
                    contact: .id("C1", school: "5301000"), origin: SourceLocation(file: "s\(sourceIndex).csv", line: 2)))
            }
            var config = SourceConfig(format: .csv, path: "s\(sourceIndex).csv", location: Self.location)
            if random.next(2) == 0 { config.schoolName = "Configured \(sourceIndex)" }
            set.readable.append(SourceSet.Readable(config: config, roster: roster))
        }
        return set
    }

    private func parents(_ random: inout SeededGenerator, _ set: SourceSet) -> [Parent] {
        var references = set.readable.flatMap { $0.roster.contacts.map(\.reference) }
        references.append(.id("absent", school: "5301000"))
        return (0..<random.next(25)).map { index in
            Parent(
                id: "p\(index)", givenName: "Ann", familyName: "Smith",
                records: (0..<(1 + random.next(3))).map { _ in random.pick(references) },
                children: [], links: [], isEligible: true, reasons: [], matchedOn: [], email: nil,
                mobile: random.next(3) == 0 ? "+447700900123" : nil)
        }
    }

    @Test func unreadableMobilesAsWhenEveryRecordIsLookedUp() {
        for seed in UInt64(0)..<400 {
            var random = SeededGenerator(seed: seed)
            let set = sources(&random)
            let people = parents(&random, set)
            let fast = StorableValues.unreadableMobiles(people, in: set).map(\.message)
            let general = StorableValuesTests.everyRecordForm(people, in: set).map(\.message)
            #expect(fast == general, "seed \(seed)")
        }
    }

    /// `SchoolYear.notes` as first written, every pupil's links counted.
    static func notesCountingEveryPupil(_ roster: Roster, leavingYearGroups: Set<String>) -> [String: LeaverNote] {
        var records: [String: Int] = [:]
        for link in roster.links { records[link.pupil.description, default: 0] += 1 }
        var notes: [String: LeaverNote] = [:]
        for pupil in roster.pupils {
            let inLeavingYear = pupil.yearGroup.map { leavingYearGroups.contains(SchoolYear.normalised($0)) } ?? false
            guard inLeavingYear || pupil.leavingDate != nil else { continue }
            let reference = pupil.reference.description
            notes[reference] = LeaverNote(yearGroup: pupil.yearGroup, leavingDate: pupil.leavingDate, records: records[reference] ?? 0)
        }
        return notes
    }

    @Test func leaverNotesAsWhenEveryPupilsLinksAreCounted() {
        let groups = Set(["6", "11", "13"].map(SchoolYear.normalised))
        for seed in UInt64(0)..<400 {
            var random = SeededGenerator(seed: seed)
            for source in sources(&random).readable {
                let fast = SchoolYear.notes(source.roster, leavingYearGroups: groups)
                let general = Self.notesCountingEveryPupil(source.roster, leavingYearGroups: groups)
                #expect(fast == general, "seed \(seed)")
            }
        }
    }

    @Test func childNamesAsWhenJoinedFromAnArray() {
        for seed in UInt64(0)..<400 {
            var random = SeededGenerator(seed: seed)
            let set = sources(&random)
            let names = ChildNames(set)
            var pupils: [String: String] = [:]
            var schools: [String: String] = [:]
            for source in set.readable {
                for pupil in source.roster.pupils {
                    let given = pupil.preferredGivenName ?? pupil.name.given
                    pupils[pupil.reference.description] = [given, pupil.name.family].compactMap { $0 }.joined(separator: " ")
                    if schools[pupil.reference.schoolID] == nil, let name = source.config.schoolName ?? pupil.schoolName {
                        schools[pupil.reference.schoolID] = name
                    }
                }
            }
            #expect(names.pupils == pupils, "seed \(seed)")
            #expect(names.schools == schools, "seed \(seed)")
        }
    }

    @Test func recordsPerSchoolAndPupilMatchValuesAsWhenCountedLinkByLink() {
        for seed in UInt64(0)..<400 {
            var random = SeededGenerator(seed: seed)
            let set = sources(&random)
            var counts: [String: Int] = [:]
            var values: [String: String] = [:]
            for source in set.readable {
                for link in source.roster.links { counts[link.pupil.schoolID, default: 0] += 1 }
                for pupil in source.roster.pupils {
                    values[pupil.reference.description] = (pupil.upn ?? pupil.reference.pupilID).uppercased()
                }
            }
            let fast = set.recordsPerSchool
            #expect(fast == counts, "seed \(seed)")
            // The keys as stored too (the first spelling of a school), not only as `==` compares them.
            #expect(Set(fast.keys.map { Array($0.utf8) }) == Set(counts.keys.map { Array($0.utf8) }), "seed \(seed)")
            #expect(set.pupilMatchValues == values, "seed \(seed)")
        }
    }
}
