import PropertyBased
import Testing
@testable import Reconcile
import TestRandom

/// Small random populations drawn from tiny pools of names, addresses and numbers, so that shared
/// e-mails, same names, same pupils and near misses happen in almost every case.
enum Population {
    static let givens = ["jane", "janet", "john", "j", "chris", "christopher", "mary"]
    static let families = ["smith", "smith jones", "brown"]
    static let emails = ["a@example.org", "b@example.org", "c@example.org"]
    static let mobiles = ["+447700900001", "+447700900002"]
    static let addresses = ["12 high street|AB1 2CD", "3 mill lane|AB3 4EF"]

    /// One record per generated array of choices: [given, family, email, mobile, address, pupil, school, id, generation, sex].
    static func records(_ choices: [[Int]]) -> [IdentityRecord] {
        choices.enumerated().map { index, c in
            let school = "S\(c[6] % 2)"
            let contactID: String? = c[7] % 3 == 0 ? nil : "C\(c[7] % 4)"
            return IdentityRecord(
                reference: contactID.map { "\(school)/\($0)/\(index)" } ?? "\(school)/P\(c[5] % 4)/\(index)",
                source: "\(school).csv", school: school, contactID: contactID,
                given: givens[c[0] % givens.count], family: families[c[1] % families.count],
                emails: c[2] % 4 == 3 ? [] : [emails[c[2] % 4 % emails.count]],
                mobiles: c[3] % 3 == 2 ? [] : [mobiles[c[3] % 3 % mobiles.count]],
                address: c[4] % 3 == 2 ? nil : addresses[c[4] % 3 % addresses.count],
                pupils: ["\(school)/P\(c[5] % 4)"],
                sex: [nil, RecordedSex.female, .male][c[9] % 3],
                generation: [nil, Generation.parent, .grandparent][c[8] % 3])
        }
    }

    static let generator = Gen.int(in: 0...11).array(of: 10).array(of: 1...24)
}

/// The parts of a resolution that do not mention input positions.
struct Outcome: Equatable {
    let persons: [[String]]
    let matchedOn: [[MatchKey]]
    let nearMisses: [NearMiss]
    let warnings: [DedupeWarning]

    init(_ resolution: IdentityResolution) {
        persons = resolution.persons.map(\.references)
        matchedOn = resolution.persons.map(\.matchedOn)
        nearMisses = resolution.nearMisses
        warnings = resolution.warnings
    }
}

/// Whether the merge pairs alone connect `a` and `b` (then a split of them cannot hold).
func mergesConnect(_ a: String, _ b: String, _ merges: [(String, String)]) -> Bool {
    var reached: Set<String> = [a]
    var changed = true
    while changed {
        changed = false
        for (x, y) in merges where reached.contains(x) != reached.contains(y) {
            reached.formUnion([x, y])
            changed = true
        }
    }
    return reached.contains(b)
}

@Suite("Identity resolution properties")
struct IdentityPropertyTests {
    @Test func theResultDoesNotDependOnTheOrderOfTheInput() async {
        await propertyCheck(count: 300, input: Population.generator, Gen.int(in: 0...Int.max)) { choices, seed in
            let records = Population.records(choices)
            var rng = SeededGenerator(seed: UInt64(seed))
            let shuffled = records.shuffled(using: &rng)
            #expect(Outcome(IdentityResolver.resolve(records)) == Outcome(IdentityResolver.resolve(shuffled)))
        }
    }

    @Test func runningItTwiceChangesNothing() async {
        await propertyCheck(count: 300, input: Population.generator) { choices in
            let records = Population.records(choices)
            let first = IdentityResolver.resolve(records)
            #expect(first == IdentityResolver.resolve(records))
            // Forcing the people it found, as IT might copy them into the overrides, finds the same people.
            let pinned = first.persons.flatMap { person in
                person.references.dropFirst().map {
                    DedupeOverride(action: .merge, record: person.references[0], otherRecord: $0)
                }
            }
            #expect(IdentityResolver.resolve(records, overrides: pinned).persons.map(\.references)
                == first.persons.map(\.references))
        }
    }

    @Test func overridesAlwaysWin() async {
        let pairs = Gen.int(in: 0...23).array(of: 2).array(of: 0...4)
        await propertyCheck(count: 300, input: Population.generator, pairs, pairs) { choices, merges, splits in
            let records = Population.records(choices)
            let references = records.map(\.reference)
            func pair(_ p: [Int]) -> (String, String)? {
                let (a, b) = (p[0] % references.count, p[1] % references.count)
                return a == b ? nil : (references[a], references[b])
            }
            let mergePairs = merges.compactMap(pair)
            // A split that the merges contradict cannot hold; the tool reports it and the merge stands.
            let splitPairs = splits.compactMap(pair).filter { !mergesConnect($0, $1, mergePairs) }
            let overrides = mergePairs.map { DedupeOverride(action: .merge, record: $0.0, otherRecord: $0.1) }
                + splitPairs.map { DedupeOverride(action: .split, record: $0.0, otherRecord: $0.1) }
            let forced = IdentityResolver.resolve(records, overrides: overrides)
            func person(_ reference: String) -> String? {
                forced.persons.first { $0.references.contains(reference) }?.id
            }
            for (a, b) in mergePairs { #expect(person(a) == person(b)) }
            for (a, b) in splitPairs { #expect(person(a) != person(b)) }
        }
    }

    @Test func noPersonEverHoldsTwoContactsOfOnePupilFromOneSource() async {
        await propertyCheck(count: 300, input: Population.generator) { choices in
            let records = Population.records(choices)
            for person in IdentityResolver.resolve(records).persons {
                let members = person.recordIndices.map { records[$0] }
                let byContact = Dictionary(grouping: members) { r in r.contactID.map { "\(r.school)/\($0)" } ?? r.reference }
                // Records sharing a contact id are one person by definition; among the rest, no pupil twice.
                let keys = byContact.values.flatMap { group in Set(group.flatMap { r in r.pupils.map { r.source + $0 } }) }
                #expect(keys.count == Set(keys).count)
            }
        }
    }
}
