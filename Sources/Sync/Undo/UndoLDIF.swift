import Foundation

/// No run of that id in the audit log (exit 2).
public struct UnknownRunError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var runID: String
    public var logPath: String
    /// The latest runs the log does hold, to pick from.
    public var recentRuns: [String]
    public var exitStatus: ExitStatus { .inputError }
    public var description: String {
        "no run \(runID) in the audit log \(logPath)"
            + (recentRuns.isEmpty ? " (it holds no runs)" : "; the latest runs there: \(recentRuns.joined(separator: ", "))")
    }
}

/// `ldap-sync undo --run ID`: the LDIF that reverses one run's writes, made from the audit log alone,
/// for IT to read and then apply with `ldapmodify`. It never writes itself.
///
/// Writes are reversed newest first: an account created is deleted, an account deleted is added again
/// with every managed attribute it had, values added are deleted, values deleted are added, and a
/// replaced value gets its old value back. Writes that failed changed nothing and are left out. A
/// password cannot be undone (ldap-sync never keeps one): the LDIF says so in a comment.
public enum UndoLDIF {
    public static func ldif(run runID: String, records: [AuditRecord], logPath: String) throws -> String {
        let ofRun = records.filter { $0.run == runID }
        guard !ofRun.isEmpty else {
            var seen: [String] = []
            for record in records.reversed() where !seen.contains(record.run) {
                seen.append(record.run)
                if seen.count == 5 { break }
            }
            throw UnknownRunError(runID: runID, logPath: logPath, recentRuns: seen)
        }
        let start = ofRun.first { $0.event == "run-start" }
        var out = "# ldap-sync undo of run \(runID)\(start.map { ", started \($0.time)" } ?? "")"
            + "\(start?.message.map { " (\($0))" } ?? "")\n"
        out += "# From \(logPath). Review it, then: ldapmodify -H URL -D BIND_DN -y PASSWORD_FILE -f THIS_FILE\n"
        out += "# The next ldap-sync run plans from the sources again: stop the schedule first if the sources\n"
        out += "# still say what this run did.\n"
        out += "version: 1\n"
        for record in ofRun.reversed() where record.event == "write" {
            out += "\n" + reversal(of: record)
        }
        return out
    }

    /// One write reversed, with a comment saying what it undoes.
    static func reversal(of record: AuditRecord) -> String {
        guard let dn = record.dn else { return "" }
        let what = "# undo \(record.action ?? "write")\(record.pupil.map { " " + $0 } ?? "") of \(record.time)\n"
        guard record.result == "ok" else {
            return "# \(dn): \(record.action ?? "write") failed (\(record.result ?? "no result")) and changed nothing\n"
        }
        if record.action == "first-password" {
            return "# \(dn): a first password was set; a password cannot be undone (ldap-sync never keeps one).\n"
        }
        let changes = parsedChanges(record.changes ?? [:])
        switch record.operation ?? impliedOperation(record.action) {
        case "add":
            return what + "# the first password set with it goes with the entry\n"
                + PlanReport.line("dn", dn) + "changetype: delete\n"
        case "delete":
            guard let before = record.before, !before.isEmpty else {
                return "# \(dn): deleted, but this audit log does not hold the entry's values: it cannot be put back from here.\n"
            }
            var text = what + "# the account comes back without a password: the next apply gives it a new first password\n"
                + PlanReport.line("dn", dn) + "changetype: add\n"
            for (attribute, values) in before.sorted(by: { $0.key < $1.key }) {
                for value in values { text += PlanReport.line(attribute, value) }
            }
            return text
        default:
            var body = ""
            var notes = ""
            // Each modification reversed: the original's order is lost in the log, but reversals of
            // different values commute, and each attribute is named once per kind.
            for change in changes.sorted(by: { ($0.attribute, $0.kind) < ($1.attribute, $1.kind) }) {
                switch change.kind {
                case "add":
                    body += modification("delete", change.attribute, change.values)
                case "delete" where !change.values.isEmpty:
                    body += modification("add", change.attribute, change.values)
                default:  // replace, or a delete of the whole attribute: its old values back
                    guard let old = record.before?.first(where: { $0.key.lowercased() == change.attribute.lowercased() })?.value else {
                        notes += "# \(change.attribute): its value before this run is not in the audit log, so it is left as it is\n"
                        continue
                    }
                    body += modification("replace", change.attribute, old)
                }
            }
            guard !body.isEmpty else { return what + notes }
            return what + notes + PlanReport.line("dn", dn) + "changetype: modify\n" + body
        }
    }

    static func modification(_ kind: String, _ attribute: String, _ values: [String]) -> String {
        "\(kind): \(attribute)\n" + values.map { PlanReport.line(attribute, $0) }.joined() + "-\n"
    }

    /// `add:misChildRef` → (add, misChildRef, values).
    static func parsedChanges(_ changes: [String: [String]]) -> [(kind: String, attribute: String, values: [String])] {
        changes.compactMap { key, values in
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1], values) : nil
        }
    }

    /// Records written before the log named the operation: the action tells it.
    static func impliedOperation(_ action: String?) -> String {
        switch action {
        case "create": "add"
        case "delete": "delete"
        default: "modify"
        }
    }
}
