import Foundation
import Testing

@testable import Reconcile

/// Issue 5's two-run scenario, without a directory: run 1 creates the accounts; run 2's export brings a
/// court order, a loss of parental responsibility, a leaver, a changed e-mail, a changed surname and a
/// new sibling. Then a truncated export of the same run.
struct PlanTwoRunScenarioTests {
    typealias F = PlanFixture

    static let run1 = [
        F.person("ORDER", refs: ["S1/C1"], given: "Olga", links: [F.child("S1/U1"), F.child("S1/U2")]),
        F.person("PR", refs: ["S1/C2"], given: "Pat", links: [F.child("S1/U3")]),
        F.person("LEAVER", refs: ["S1/C3"], given: "Lee", links: [F.child("S1/U4")]),
        F.person("MAIL", refs: ["S1/C4"], given: "Mo", links: [F.child("S1/U5")]),
        F.person("NAME", refs: ["S1/C5"], given: "Nia", family: "Jones", links: [F.child("S1/U6")]),
        F.person("SIBLING", refs: ["S1/C6"], given: "Sam", links: [F.child("S1/U7")]),
    ] + (1...14).map { F.person("OTHER\($0)", refs: ["S1/X\($0)"], links: [F.child("S1/V\($0)")]) }

    static let run2 = [
        F.person("ORDER", refs: ["S1/C1"], given: "Olga", links: [F.revoked("S1/U1"), F.child("S1/U2")]),
        F.person("PR", refs: ["S1/C2"], given: "Pat", links: [F.revoked("S1/U3", .noParentalResponsibility)]),
        F.person("MAIL", refs: ["S1/C4"], given: "Mo", mail: "mo@new.example", links: [F.child("S1/U5")]),
        F.person("NAME", refs: ["S1/C5"], given: "Nia", family: "Smith", mail: "name@example.net", username: "nia.smith",
                 links: [F.child("S1/U6")]),
        F.person("SIBLING", refs: ["S1/C6"], given: "Sam", links: [F.child("S1/U7"), F.child("S1/U8")]),
    ] + (1...14).map { F.person("OTHER\($0)", refs: ["S1/X\($0)"], links: [F.child("S1/V\($0)")]) }

    @Test func secondRunAppliesEachChangeOnce() {
        let directory = F.settled(Self.run1)
        #expect(directory.parents.count == 20 && directory.roleGroup?.members.count == 20)
        let plan = F.plan(Self.run2, directory, context: F.context(limits: SafetyLimits(maxDisable: .percentage(10))))
        let summary = plan.changes.map { "\($0.action.rawValue) \($0.parentID) \($0.pupil ?? "")" }
        #expect(summary == [
            "unlink ORDER S1/U1", "unlink PR S1/U3", "disable PR ",  // revocations first
            "update MAIL ", "update NAME ", "link SIBLING S1/U8", "unlink LEAVER S1/U4", "disable LEAVER ",
        ])
        #expect(plan.changes.first { $0.parentID == "NAME" }?.dn == "uid=nia.jones,\(F.base)")
        #expect(plan.held.isEmpty)
        let after = PlanSimulator.apply(plan, to: directory)
        #expect(F.plan(Self.run2, after).changes.isEmpty)
    }

    @Test func truncatedExportIsHeldWhileItsCourtOrderStillApplies() {
        // The export stopped after the first two parents: everyone else seems to have left.
        let truncated = Array(Self.run2.prefix(2))
        let plan = F.plan(truncated, F.settled(Self.run1), context: F.context(
            limits: SafetyLimits(maxDisable: .percentage(5), maxUnlink: .percentage(5)), unhealthy: ["S1": .shrunk]))
        #expect(plan.changes.map(\.action) == [.unlink, .unlink, .disable])
        #expect(plan.changes.allSatisfy { $0.cause == .revocation })
        #expect(plan.held(.disable).count == 18 && plan.hasHeldChanges)
    }
}
