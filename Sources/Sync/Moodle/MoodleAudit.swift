import Foundation

/// Writes the connector's calls to the run's audit log (event `vle`): what Moodle was told, what is
/// owed and what waits, so `access --at` and an auditor see the Moodle side too. Never the token.
public struct MoodleAudit: Sendable {
    public var log: AuditLog
    public var runID: String

    public init(log: AuditLog, runID: String) {
        self.log = log
        self.runID = runID
    }

    func record(_ outcome: MoodleSyncOutcome) throws {
        let time = Timestamp.iso8601(Date())
        func line(_ call: MoodleCall, _ result: String) throws {
            try log.append(AuditRecord(
                time: time, run: runID, event: "vle", action: call.kind.rawValue, dn: nil, pupil: call.pupil, result: result,
                message: call.description))
        }
        for call in outcome.made { try line(call, "ok") }
        for call in outcome.owed { try line(call, "owed") }
        for call in outcome.waiting { try line(call, "waiting") }
        for problem in outcome.problems {
            try log.append(AuditRecord(time: time, run: runID, event: "vle", result: "error", message: problem))
        }
    }
}
