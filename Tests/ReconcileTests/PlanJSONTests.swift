import Foundation
import Testing

@testable import Reconcile

/// `plan --format json` (DESIGN.md Part B) is the plan's `Codable` form.
struct PlanJSONTests {
    typealias F = PlanFixture

    static func heldPlan() -> Plan {
        let people = (1...3).map { F.person("P\($0)", refs: ["S1/C\($0)"], links: [F.child("S1/U\($0)")]) }
        let after = [F.person("P1", refs: ["S1/C1"], links: [F.revoked("S1/U1")])]
        return F.plan(after, F.settled(people), context: F.context(limits: SafetyLimits(maxDisable: .count(0))))
    }

    @Test func encodingHasThePartBKeys() throws {
        let data = try JSONEncoder().encode(Self.heldPlan())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(Set(summary.keys) == ["create", "update", "disable", "enable", "delete", "link", "unlink", "unchanged", "held"])
        #expect(summary["disable"] == 1 && summary["held"] == 4 && summary["unlink"] == 1)
        let change = try #require((json["changes"] as? [[String: Any]])?.first)
        #expect(change["action"] as? String == "unlink")
        #expect(change["parent_id"] as? String == "P1")
        #expect(change["pupil"] as? String == "S1/U1")
        #expect(change["reasons"] as? [String] == ["court-order"])
        let held = try #require((json["held"] as? [[String: Any]])?.first)
        #expect(held["gate"] as? String == "max-disable")
        #expect(held["action"] as? String == "unlink" || held["action"] as? String == "disable")
    }

    @Test func warningIsCodeAndMessage() throws {
        let data = try JSONEncoder().encode(PlanWarning(code: .conflict, message: "m"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(json == ["code": "conflict", "message": "m"])
    }

    @Test func decodingTheEncodingGivesThePlanBack() throws {
        let plan = Self.heldPlan()
        let decoded = try JSONDecoder().decode(Plan.self, from: JSONEncoder().encode(plan))
        #expect(decoded == plan)
    }

    @Test func everyReasonHasPlainWords() {
        for reason in SyncReason.allCases { #expect(!reason.description.isEmpty && reason.description != reason.rawValue) }
        for gate in SafetyGate.allCases { #expect(!gate.description.isEmpty) }
    }
}
