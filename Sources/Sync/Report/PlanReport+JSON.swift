import Foundation

extension PlanReport {
    /// DESIGN.md Part B's JSON: `summary`, `changes`, `held`, `warnings` (the plan's own encoding).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
    }
}
