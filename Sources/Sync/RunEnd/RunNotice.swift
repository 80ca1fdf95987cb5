import Foundation
import Reconcile

/// The JSON summary `notify_command` reads on stdin: what a safeguarding lead or IT must know of a run
/// the same hour. Names entries and children; never a password.
public struct RunNotice: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public var action: String
        public var dn: String
        public var pupil: String?
        public var reasons: [String]?
        /// The gate, for a held change.
        public var gate: String?
        /// The server's answer, for a failed write.
        public var error: String?
    }

    public var runID: String
    public var command: String
    public var config: String?
    public var exitCode: Int32
    public var startedAt: String
    public var durationSeconds: Double
    /// Counts per action, plus `held` and `failed`.
    public var summary: [String: Int]
    public var revocations: [Item]
    public var held: [Item]
    public var failures: [Item]
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", command, config, exitCode = "exit_code", startedAt = "started_at"
        case durationSeconds = "duration_seconds", summary, revocations, held, failures, error
    }

    public init(_ summary: RunSummary) {
        runID = summary.runID
        command = summary.command
        config = summary.configFile
        exitCode = summary.exitCode
        startedAt = Timestamp.iso8601(summary.startedAt)
        durationSeconds = (summary.duration * 10).rounded() / 10
        var counts = Dictionary(uniqueKeysWithValues: ChangeAction.allCases.map { ($0.rawValue, summary.changes[$0] ?? 0) })
        counts["held"] = summary.held.count
        counts["failed"] = summary.failures.count
        self.summary = counts
        revocations = summary.revocations.map {
            Item(action: $0.action.rawValue, dn: $0.dn, pupil: $0.pupil, reasons: $0.reasons.map(\.code))
        }
        held = summary.held.map {
            Item(action: $0.change.action.rawValue, dn: $0.change.dn, pupil: $0.change.pupil,
                 reasons: $0.change.reasons.map(\.code), gate: $0.gate.rawValue)
        }
        failures = summary.failures.map {
            Item(action: $0.change?.action.rawValue ?? "group", dn: $0.dn, pupil: $0.change?.pupil,
                 error: "\($0.error.code.name) \($0.error.diagnosticMessage)".trimmingCharacters(in: .whitespaces))
        }
        error = summary.error
    }

    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
