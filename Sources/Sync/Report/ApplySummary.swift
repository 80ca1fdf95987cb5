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
        if let vle = outcome.vle {
            out += "Moodle: \(vle.made.count) call(s) made"
            if !vle.waiting.isEmpty { out += ", \(vle.waiting.count) role(s) waiting for a first Moodle login" }
            out += "\n"
            for call in vle.made { out += "  \(call.description)\n" }
            if !vle.owed.isEmpty || !vle.problems.isEmpty {
                out += "MOODLE OWED (\(vle.callsOwed)): the directory is done; these calls are kept and made first next run\n"
                for problem in vle.problems { out += "  \(problem)\n" }
                for call in vle.owed { out += "  owed: \(call.description)\n" }
            }
        }
        if let file = result.credentialsFile {
            let files = ([file] + result.moreCredentialsFiles).joined(separator: ", ")
            out += "First passwords of \(result.credentials.count) new or reissued account(s): \(files) (mode 0600)\n"
            if let letters = result.lettersFile { out += "Letters to print: \(letters)\n" }
        }
        if !result.notSent.isEmpty {
            out += "NOT SENT (\(result.notSent.count)): the run was stopped; the next run makes these changes\n"
        }
        out += summaryLine + "\n"
        return out
    }

    /// One line for logs and monitoring: counts per action applied, held, failed, duration, exit code.
    public var summaryLine: String {
        RunSummary(apply: outcome, startedAt: Date(), duration: duration, configFile: nil).line
    }
}
