import Foundation
import Reconcile

extension PlanReport {
    /// DESIGN.md Part B's JSON: `summary`, `changes`, `held`, `warnings` (the plan's own encoding), and
    /// `vle.moodle` when the Moodle connector is configured.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(WithVLE(plan: plan, moodle: moodle)), as: UTF8.self) + "\n"
    }

    /// The plan's keys, then `vle: {moodle: …}`.
    struct WithVLE: Encodable {
        var plan: Plan
        var moodle: MoodlePlanSection?

        enum CodingKeys: String, CodingKey { case vle }
        enum VLEKeys: String, CodingKey { case moodle }

        func encode(to encoder: any Encoder) throws {
            try plan.encode(to: encoder)
            guard let moodle else { return }
            var container = encoder.container(keyedBy: CodingKeys.self)
            var vle = container.nestedContainer(keyedBy: VLEKeys.self, forKey: .vle)
            try vle.encode(moodle, forKey: .moodle)
        }
    }
}
