@testable import Reconcile
import Roster
import Testing

@testable import Sync
import TestRandom

/// `DesiredState.people` reads each person in place and builds a local authority's people on two
/// threads: on one thread or two, it must give what the form that took each person by value gave.
@Suite struct DesiredPeopleTests {
    /// The people's entries as first written: each person copied out of the array, their values read from the copy.
    static func generalForm(_ parents: [Parent]) -> [DesiredParent] {
        parents.map { parent in
            DesiredParent(
                personID: parent.id, contactRefs: Set(parent.records.map(\.description)), username: "",
                givenName: parent.givenName, familyName: parent.familyName, displayName: parent.displayName,
                mail: StorableValues.mail(parent.email), mobile: StorableValues.mobile(parent.mobile),
                links: parent.links.map { link in
                    DesiredLink(pupilRef: link.pupil.description, pupilDN: nil, eligible: link.isEligible, reasons: link.reasons, loss: LinkLoss(reasons: link.reasons))
                },
                keysFromEmail: parent.email, mobile: parent.mobile)
        }
    }

    static func parents(_ random: inout SeededGenerator) -> [Parent] {
        let schools = ["5301000", "5301001", "\u{E9}cole"]
        let reasons: [[ReasonCode]] = [[.parentalResponsibility], [.courtOrder], [.notOnRoll, .awaitingReview], []]
        return (0..<random.next(40)).map { index in
            let records = (0..<(1 + random.next(3))).map { _ in
                random.next(4) == 0
                    ? ContactReference(schoolID: random.pick(schools), key: .position(pupilID: "P\(random.next(5))", index: 1 + random.next(2)))
                    : ContactReference.id("C\(random.next(30))", school: random.pick(schools))
            }
            let links = (0..<random.next(4)).map { _ in
                LinkEligibility(
                    pupil: PupilReference(schoolID: random.pick(schools), pupilID: "P\(random.next(9))"), contact: random.pick(records),
                    isEligible: random.next(2) == 0, reasons: random.pick(reasons))
            }
            return Parent(
                id: "p\(index)", givenName: random.pick(["Ann", "", "Zo\u{EB}"]), familyName: random.pick(["Smith", "Ó Briain"]),
                records: records, children: links.map(\.pupil), links: links, isEligible: links.contains(where: \.isEligible),
                reasons: [], matchedOn: [], email: random.pick([nil, "ann@example.org", "zo\u{EB}@example.org"]),
                mobile: random.pick([nil, "+447700900123", "07700 900123 (eve)"]))
        }
    }

    /// The display name joined by hand (`Parent.displayName`, which the people's entries take) is the
    /// interpolation's, byte for byte.
    @Test func theDisplayNameJoinedByHandIsTheParents() {
        let names = ["", "Ann", "Zo\u{EB}", "Zoe\u{308}", "\u{D3} Briain", "A very long given name", " ", "Smith"]
        for given in names {
            for family in names {
                let interpolated = given.isEmpty ? family : "\(given) \(family)"
                #expect(Array(Parent.displayName(given: given, family: family).utf8) == Array(interpolated.utf8), "\(given)|\(family)")
            }
        }
    }

    /// Each link's pupil entry found on one thread or two (in halves, each with its own last pupil) is the
    /// one each link looks up for itself.
    @Test func thePupilsFoundInHalvesAreThoseEachLinkLooksUp() {
        for seed in UInt64(0)..<300 {
            var random = SeededGenerator(seed: seed)
            let people = DesiredState.people(Self.parents(&random))
            let references = Set(people.flatMap { $0.links.map(\.pupilRef) })
            // Some pupils without a match value, some values without an entry.
            var matchValues: [String: String] = [:]
            var dns: [String: String] = [:]
            for reference in references.sorted() where random.next(5) != 0 {
                matchValues[reference] = "U-" + reference
                if random.next(4) != 0 { dns["U-" + reference] = "uid=\(reference.utf8.count),ou=Pupils,dc=example,dc=org" }
            }
            var general = people
            for person in general.indices {
                for link in general[person].links.indices {
                    general[person].links[link].pupilDN = matchValues[general[person].links[link].pupilRef].flatMap { dns[$0] }
                }
            }
            for twoThreadsFrom in [0, Int.max] {
                var found = people
                DesiredState.findPupils(&found, pupilMatchValues: matchValues, pupilDNs: dns, twoThreadsFrom: twoThreadsFrom)
                #expect(found == general, "seed \(seed), two threads from \(twoThreadsFrom)")
            }
        }
    }

    @Test func peopleReadInPlaceOnOneThreadOrTwoAreTheGeneralForm() {
        for seed in UInt64(0)..<300 {
            var random = SeededGenerator(seed: seed)
            let parents = Self.parents(&random)
            let general = Self.generalForm(parents)
            #expect(DesiredState.people(parents, twoThreadsFrom: .max) == general, "seed \(seed)")
            #expect(DesiredState.people(parents, twoThreadsFrom: 0) == general, "seed \(seed)")
        }
    }
}
