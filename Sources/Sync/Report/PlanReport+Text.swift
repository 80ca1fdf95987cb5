import Reconcile

extension PlanReport {
    /// For IT reading in a terminal: counts, then each action's changes with reasons and the attribute
    /// diff, then what was held and why, then warnings.
    public func text() -> String {
        var out = "ldap-sync plan — \(title), \(Self.timestamp(generatedAt))\n\n"
        out += counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "\n"
        if plan.changes.isEmpty && plan.held.isEmpty {
            out += "\nNothing to change: the directory already matches the sources.\n"
        }
        for action in Self.actionOrder {
            let changes = plan.changes.filter { $0.action == action }
            guard !changes.isEmpty else { continue }
            out += "\n\(action.rawValue.uppercased()) (\(changes.count))\n"
            for change in changes { out += Self.describe(change, jurisdiction: jurisdiction) }
        }
        if !plan.held.isEmpty {
            out += "\nHELD (\(plan.held.count)): not written; `apply --accept-limits` applies those a limit holds\n"
            for held in plan.held {
                out += "  [\(held.gate.rawValue)] \(held.gate)\n"
                out += Self.describe(held.change, indent: "    ", jurisdiction: jurisdiction)
            }
        }
        out += reviewText()
        if !plan.warnings.isEmpty {
            out += "\nWARNINGS (\(plan.warnings.count))\n"
            for warning in plan.warnings { out += "  \(warning.code.rawValue): \(warning.message)\n" }
        }
        if let moodle { out += moodle.text }
        return out
    }

    /// The review report: links waiting for the school office, who gets nothing until they decide.
    func reviewText() -> String {
        guard !plan.review.isEmpty else { return "" }
        var out = "\nFOR REVIEW (\(plan.review.count)): no account or link until the school decides\n"
        for item in plan.review {
            out += "  \(item.pupil)  \(item.name) (\(item.contact))\n"
            for reason in item.reasons { out += "      because: \(reason.rawValue) — \(reason.description(in: jurisdiction))\n" }
        }
        return out
    }

    static func describe(_ change: Change, indent: String = "  ", jurisdiction: Jurisdiction = .unspecified) -> String {
        var line = "\(indent)\(change.action.rawValue) \(change.dn)"
        if let pupil = change.pupil { line += "  child \(pupil)" }
        if change.cause == .revocation { line += "  [revocation: applied now, never held]" }
        var out = line + "\n"
        for reason in change.reasons {
            out += "\(indent)    because: \(reason.code) — \(reason.description(in: jurisdiction))\n"
        }
        for modification in change.modifications where change.action != .create || modification.attribute != "objectClass" {
            let sign = switch modification.kind {
            case .add: "+"
            case .delete: "-"
            case .replace: "="
            }
            let values = modification.values.isEmpty ? "(all values)" : modification.values.joined(separator: ", ")
            out += "\(indent)    \(sign) \(modification.attribute): \(values)\(modification.previousNote(separator: ", "))\n"
        }
        if let group = change.group {
            out += "\(indent)    \(group.kind == .add ? "+" : "-") role group member\n"
        }
        return out
    }
}
