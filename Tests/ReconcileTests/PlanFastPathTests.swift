import Foundation
import PropertyBased
import Testing

@testable import Reconcile
import TestRandom

/// The no-op fast path (`PlanDraft.isUnchanged`) against the general path it short-cuts.
struct PlanFastPathTests {
    typealias F = PlanFixture

    /// Each matched entry, changed in one of the ways the fast path must notice (or left alone).
    static func disturbed(_ directory: CurrentDirectory, seed: Int) -> CurrentDirectory {
        var generator = SeededGenerator(seed: UInt64(seed))
        var copy = directory
        for index in copy.parents.indices {
            var entry = copy.parents[index]
            switch Int.random(in: 0..<24, using: &generator) {
            case 0: entry.cn = nil
            case 1: entry.sn = "Other"
            case 2: entry.givenName = nil
            case 3: entry.displayName = (entry.displayName ?? "") + "x"
            case 4: entry.mail = entry.mail == nil ? "x@example.net" : nil
            case 5: entry.mobile = entry.mobile == nil ? "+447700900123" : nil
            case 6: entry.misParentId = nil
            case 7: entry.hasParentRole = false
            case 8: entry.status = AccountStatus.allCases.randomElement(using: &generator)
            case 9: entry.status = nil
            case 10: entry.isLocked.toggle()
            case 11: entry.misContactRef.insert("S1/C999")
            case 12: entry.misContactRef = Set(entry.misContactRef.dropFirst())
            case 13: entry.misChildRef = Set(entry.misChildRef.dropFirst())
            case 14: entry.misChildRef.insert("S2/U3")
            case 15: entry.misChild = Set(entry.misChild.map { $0.uppercased() })
            case 16: entry.misChild = Set(entry.misChild.dropFirst())
            case 17: entry.misChild.insert("uid=gone,ou=Pupils")
            case 18: entry.misChild.insert(entry.misChild.first.map { $0.uppercased() } ?? "uid=S1u1,ou=Pupils")
            default: break
            }
            copy.parents[index] = entry
        }
        if let group = copy.roleGroup, Int.random(in: 0..<3, using: &generator) == 0 {
            copy.roleGroup = RoleGroupState(dn: group.dn, exists: group.exists, members: Set(group.members.dropFirst()))
        }
        return copy
    }

    /// People with some details blank, some links doubled or turned round.
    static func disturbed(_ people: [DesiredParent], seed: Int) -> [DesiredParent] {
        var generator = SeededGenerator(seed: UInt64(seed) &+ 1)
        return people.map { person in
            var person = person
            switch Int.random(in: 0..<12, using: &generator) {
            case 0: person.givenName = ""
            case 1: person.mail = ""
            case 2: person.familyName = ""
            case 3: person.mobile = "+447700900456"
            case 4: if let first = person.links.first { person.links.append(first) }
            case 5:
                if let first = person.links.first {
                    person.links.append(DesiredLink(pupilRef: first.pupilRef, pupilDN: "uid=a,ou=Pupils", eligible: true, reasons: [.parentalResponsibility]))
                }
            case 6: if let first = person.links.first { person.links.append(F.revoked(first.pupilRef)) }
            case 7: person.links.reverse()
            default: break
            }
            return person
        }
    }

    static let pupilIndex = ["S1/U2": "uid=S1u2,ou=Pupils", "S2/U1": "uid=s2u1,ou=pupils", "S2/U3": "uid=S2u3,ou=Pupils"]

    @Test func theFastPathPlansWhatTheGeneralPathPlans() async {
        await propertyCheck(
            input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000), Gen.bool, PlanPropertyTests.problem
        ) { before, after, seed, onHandover, problem in
            // Directories an earlier run left for other people and for the same people (whose pairs then
            // differ only by the disturbances below).
            var settled = F.settled(PlanPropertyTests.world(before))
            settled.pupilDNs = Self.pupilIndex
            var settledAfter = F.settled(PlanPropertyTests.world(after))
            settledAfter.pupilDNs = Self.pupilIndex
            let people = Self.disturbed(PlanPropertyTests.world(after), seed: seed)
            var context = F.context(
                limits: SafetyLimits(maxDisable: .count(1000), maxUnlink: .count(1000)), activation: onHandover ? .onHandover : .onCreate)
            context.unhealthySchools = ["S1": PlanPropertyTests.problems[problem]].compactMapValues { $0 }
            for directory in [settled, Self.disturbed(settled, seed: seed), settledAfter, Self.disturbed(settledAfter, seed: seed)] {
                #expect(Planner.plan(desired: people, current: directory, context: context)
                    == Planner.plan(desired: people, current: directory, context: context, matched: nil, skippingUnchanged: false))
            }
        }
    }

    /// The no-op test of every person at once, on two threads (as for a local authority) or one, is the
    /// test of each pair in turn; the role group's members spelt otherwise are folded once, under its lock.
    @Test func unchangedPeopleOnTwoThreadsAreEachPairsTest() async {
        await propertyCheck(input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000)) { before, after, seed in
            let people = Self.disturbed(PlanPropertyTests.world(after), seed: seed)
            let context = F.context(limits: SafetyLimits(maxDisable: .count(1000), maxUnlink: .count(1000)))
            var settled = F.settled(PlanPropertyTests.world(after))
            if let group = settled.roleGroup, seed % 2 == 0 {
                settled.roleGroup = RoleGroupState(dn: group.dn, exists: group.exists, members: Set(group.members.map { $0.uppercased() }))
            }
            for directory in [settled, Self.disturbed(settled, seed: seed), F.settled(PlanPropertyTests.world(before))] {
                let matching = IndexMatching(desired: people, parents: directory.parents)
                let oneByOne = people.indices.map { person in
                    people.withUnsafeBufferPointer { people in
                        directory.parents.withUnsafeBufferPointer { entries in
                            matching.entry(ofPerson: person).map {
                                PlanDraft(desired: Array(people), current: directory, context: context)
                                    .isUnchanged(people.baseAddress! + person, entry: entries.baseAddress! + $0)
                            } ?? false
                        }
                    }
                }
                for threshold in [0, Int.max] {
                    let draft = PlanDraft(desired: people, current: directory, context: context)
                    #expect(draft.unchangedPeople(people, matching: matching, twoThreadsFrom: threshold) == oneByOne)
                }
            }
        }
    }

    /// The count of unchanged entries, which `finish` takes from the DNs as read, is the count of entries
    /// whose DN, compared as DNs, no change names.
    @Test func unchangedEntriesAreThoseNoChangeNamesComparedAsDNs() async {
        await propertyCheck(input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000)) { before, after, seed in
            let people = Self.disturbed(PlanPropertyTests.world(after), seed: seed)
            let context = F.context(limits: SafetyLimits(maxDisable: .count(1), maxUnlink: .count(1)))
            for directory in [F.settled(PlanPropertyTests.world(before)), Self.disturbed(F.settled(PlanPropertyTests.world(before)), seed: seed)] {
                let plan = Planner.plan(desired: people, current: directory, context: context)
                let touched = Set((plan.changes + plan.held.map(\.change)).map { DistinguishedNames.comparable($0.dn) })
                #expect(plan.summary.unchanged == directory.parents.count { !touched.contains(DistinguishedNames.comparable($0.dn)) })
            }
        }
    }

    /// The fast path answers "unchanged" only for pairs the general path plans nothing for, and it does
    /// answer it for the entries of a settled directory (else it would never save anything).
    @Test func unchangedPairsPlanNothingAndSettledPairsAreUnchanged() async {
        await propertyCheck(input: PlanPropertyTests.codes, PlanPropertyTests.codes, Gen.int(in: 0...1_000_000)) { before, after, seed in
            let people = Self.disturbed(PlanPropertyTests.world(after), seed: seed)
            let context = F.context(limits: SafetyLimits(maxDisable: .count(1000), maxUnlink: .count(1000)))
            let settled = PlanSimulator.apply(
                Planner.plan(desired: people, current: F.settled(PlanPropertyTests.world(before)), context: context),
                to: F.settled(PlanPropertyTests.world(before)))
            for directory in [settled, Self.disturbed(settled, seed: seed)] {
                let matching = IndexMatching(desired: people, parents: directory.parents)
                for (person, entry) in matching.matchedPairs {
                    var draft = PlanDraft(desired: people, current: directory, context: context)
                    draft.planMatched(people[person], entry: directory.parents[entry])
                    let unchanged = draft.isUnchanged(people[person], entry: directory.parents[entry])
                    if unchanged { #expect(draft.planned.isEmpty, "\(people[person]) \(directory.parents[entry])") }
                    if directory == settled, draft.planned.isEmpty, directory.parents[entry].status != .disabled {
                        #expect(unchanged, "\(people[person]) \(directory.parents[entry])")
                    }
                }
            }
        }
    }
}

extension PlanDraft {
    /// `isUnchanged` of a person and an entry held as values.
    func isUnchanged(_ person: DesiredParent, entry: CurrentParent) -> Bool {
        withUnsafePointer(to: person) { person in withUnsafePointer(to: entry) { entry in isUnchanged(person, entry: entry) } }
    }
}
