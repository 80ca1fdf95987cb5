import Foundation
import Reconcile

/// What `apply` prints when it is done: counts of what was written, what failed and why, what was held,
/// where the first passwords are, and one summary line.
public struct ApplySummary: Sendable {
    public var outcome: ApplyOutcome
    public var duration: TimeInterval

    public init(outcome: ApplyOutcome, duration: TimeInterval) {
        self.outcome = outcome
        self.duration = duration
    }

    public var text: String {
        var out = ""
        let result = outcome.result
        if !result.failures.isEmpty {
            out += "FAILED (\(result.failures.count)): the next run tries again\n"
            for failure in result.failures {
                out += "  \(failure.change?.action.rawValue ?? "group") \(failure.dn): \(failure.error.code) \(failure.error.diagnosticMessage)\n"
            }
        }
        if !outcome.plan.held.isEmpty {
            out += "HELD (\(outcome.plan.held.count)): not written; review with `ldap-sync plan`, then `apply --accept-limits`\n"
            for held in outcome.plan.held {
                out += "  [\(held.gate.rawValue)] \(held.change.action.rawValue) \(held.change.dn)\(held.change.pupil.map { " child " + $0 } ?? "")\n"
            }
        }
        if let file = result.credentialsFile {
            let files = ([file] + result.moreCredentialsFiles).joined(separator: ", ")
            out += "First passwords of \(result.credentials.count) new account(s): \(files) (mode 0600)\n"
        }
        if !result.notSent.isEmpty {
            out += "NOT SENT (\(result.notSent.count)): the run was stopped; the next run makes these changes\n"
        }
        out += summaryLine + "\n"
        return out
    }

    /// One line for logs and monitoring: counts per action applied, held, failed, duration, exit code.
    public var summaryLine: String {
        var counts: [ChangeAction: Int] = [:]
        for change in outcome.result.applied { counts[change.action, default: 0] += 1 }
        let actions = ChangeAction.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        return "ldap-sync apply \(outcome.runID): \(actions), unchanged \(outcome.plan.summary.unchanged), "
            + "held \(outcome.plan.held.count), failed \(outcome.result.failures.count), "
            + String(format: "%.1f s", duration) + ", exit \(outcome.exitStatus.rawValue)"
    }
}
