import Foundation
import Reconcile
import Testing

@testable import Sync
import TestRandom

@Suite struct PlanJSONTests {
    /// Random changes with hostile values (quotes, slashes, line breaks, accents, control characters),
    /// held changes, warnings and a role group.
    static func plan(changes count: Int, seed: UInt64) -> Plan {
        var generator = SeededGenerator(seed: seed)
        func next() -> UInt64 { generator.next() }
        let pieces = ["Ann", "O'Brien", "Zoë", "a\"quote", "back\\slash", "line\nbreak", "tab\there", "uid=a/b", "\u{1}", "€", ""]
        func text() -> String { (0..<Int(next() % 3 + 1)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined(separator: " ") }
        let actions = ChangeAction.allCases
        let changes = (0..<count).map { index in
            Change(
                action: actions[Int(next() % UInt64(actions.count))], dn: "uid=\(text()),ou=Parents", parentID: "p\(index)",
                reasons: next() % 2 == 0 ? [.sync(.detailsChanged)] : [.eligibility(.courtOrder), .sync(.linkDisappeared)],
                pupil: next() % 2 == 0 ? nil : "100/P\(index)", schools: ["100", text()], cause: next() % 3 == 0 ? .revocation : .routine,
                modifications: (0..<Int(next() % 4)).map { _ in AttributeChange(attribute: "mail", kind: .replace, values: [text(), text()]) },
                group: next() % 2 == 0 ? nil : MembershipChange(kind: .add, member: "uid=\(text())"))
        }
        let held = changes.prefix(2).map { HeldChange(change: $0, gate: .maxDisable) }
        return Plan(
            summary: PlanSummary(changes: changes, held: held.count, unchanged: 7), changes: changes, held: held,
            warnings: [PlanWarning(code: .restrictionLifted, message: text())],
            roleGroup: RoleGroupPlan(dn: "cn=parents", create: false, creation: [], add: ["uid=\(text())"], delete: []))
    }

    @Test(arguments: [(1, 1), (2, 2), (5, 3), (40, 4), (200, 5)] as [(Int, UInt64)])
    func changesOneByOneIsTheWholeEncoding(count: Int, seed: UInt64) throws {
        let report = PlanReport.WithVLE(plan: Self.plan(changes: count, seed: seed), moodle: nil)
        let encoder = PlanReport.jsonEncoder()
        let oneByOne = try #require(try PlanReport.changesOneByOne(report, encoder))
        #expect(oneByOne == (try PlanReport.whole(report, encoder)))
    }

    @Test func aPlanWithoutChangesIsEncodedWhole() throws {
        var plan = Self.plan(changes: 3, seed: 9)
        plan.changes = []
        let report = PlanReport.WithVLE(plan: plan, moodle: nil)
        #expect(try PlanReport.changesOneByOne(report, PlanReport.jsonEncoder()) == nil)
        let json = try PlanReport(plan: plan, title: "t", generatedAt: Date()).json()
        #expect(json == (try PlanReport.whole(report, PlanReport.jsonEncoder())))
    }
}
