import Reconcile
import Roster

extension AccessReport {
    /// The report for a person to read. A link the sources do not justify is said in words; with `color`
    /// (a terminal) those words are red as well, never instead.
    public func text(color: Bool) -> String {
        var lines: [String] = []
        switch subject {
        case .pupil(let pupil):
            let name = pupil.name.map { "\($0) (\(pupil.reference)\(pupil.yearGroup.map { ", year \($0)" } ?? ""))" } ?? pupil.reference
            lines.append("Who can see \(name)?")
            if !pupil.inSources { lines.append("No readable source lists this pupil now: every link below is one the sources no longer justify.") }
            let seeing = rows.filter(\.canSeeNow).compactMap { $0.account?.username }
            lines.append(seeing.isEmpty ? "Nobody can see this child now." : "Can see now: \(seeing.joined(separator: ", ")).")
        case .parent(let parent):
            lines.append("Which children does \(parent.name) (\(parent.username)) see?")
            lines.append("directory: " + (parent.account.map(Self.accountText) ?? "no account"))
            let seeing = rows.filter(\.canSeeNow).map { row in row.pupilName.map { "\($0) (\(row.pupil))" } ?? row.pupil }
            lines.append(seeing.isEmpty ? "Sees no child now." : "Sees now: \(seeing.joined(separator: ", ")).")
        }
        let unjustified = unjustified.count
        if unjustified > 0 {
            lines.append(Self.red("\(unjustified) link\(unjustified == 1 ? "" : "s") in the directory NOT JUSTIFIED by the sources.", color))
        }
        for row in rows {
            lines.append("")
            lines += rowText(row, color: color)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func rowText(_ row: AccessRow, color: Bool) -> [String] {
        var lines: [String] = []
        switch subject {
        case .pupil:
            lines.append([row.account?.username, row.parentName].compactMap { $0 }.joined(separator: "  "))
            lines.append("  directory: " + (row.account.map { Self.accountText($0) + (row.linked ? ", linked to this child" : ", not linked to this child") }
                ?? "no account"))
        case .parent:
            lines.append(row.pupilName.map { "\($0)  \(row.pupil)" } ?? row.pupil)
            lines.append("  directory: " + (row.linked ? "linked (misChildRef)" : "not linked"))
        }
        if row.records.isEmpty {
            lines.append("  sources:   do not list this contact for this child")
        }
        for record in row.records {
            lines.append("  sources:   " + Self.factsText(record))
        }
        if let eligible = row.eligible {
            let words = row.reasons.map { "\($0.rawValue) (\($0.description(in: jurisdiction)))" }.joined(separator: "; ")
            lines.append("  decision:  " + (eligible ? "eligible" : "not eligible") + (words.isEmpty ? "" : ": \(words)"))
        }
        lines.append("  " + verdictText(row, color: color))
        return lines
    }

    private func verdictText(_ row: AccessRow, color: Bool) -> String {
        switch row.verdict {
        case .justified:
            return row.canSeeNow ? "ok: linked, and the sources grant it" : "ok: linked and granted, but the account cannot log in now"
        case .notJustified:
            let why = row.eligible == nil ? "the sources no longer list this contact for this child" : "the sources do not grant it"
            return Self.red(
                "NOT JUSTIFIED: linked in the directory, but \(why)"
                    + (row.canSeeNow ? "; the parent CAN SEE this child now" : "")
                    + ". Fix: run `ldap-sync apply` now, or `ldap-sync revoke` for this link", color)
        case .notLinkedYet:
            return "not linked yet: the sources grant it, the next apply links it"
        case .noLink:
            return "no link: the sources do not grant one"
        }
    }

    static func accountText(_ account: AccountView) -> String {
        var parts = ["account \(account.status ?? "without a status")"]
        if account.locked { parts.append("locked (cannot log in)") }
        if let member = account.inRoleGroup { parts.append(member ? "in the role group" : "not in the role group") }
        return parts.joined(separator: ", ")
    }

    static func factsText(_ facts: SourceFacts) -> String {
        let relationship = facts.relationshipAsWritten.map { $0.lowercased() == facts.relationship ? facts.relationship : "\(facts.relationship) (\"\($0)\")" }
            ?? facts.relationship
        var parts = [
            relationship, "parental responsibility \(words(facts.parentalResponsibility))",
            "court order \(facts.courtOrder == .yes ? "YES" : words(facts.courtOrder))",
        ]
        if facts.accessWithdrawn == .yes { parts.append("access withdrawn by the MIS") }
        parts.append("priority \(facts.priority.map(String.init) ?? "not given")")
        return parts.joined(separator: ", ") + " (record \(facts.contact), \(facts.origin))"
    }

    static func words(_ value: TriState) -> String {
        switch value {
        case .yes: "yes"
        case .no: "no"
        case .unknown: "not stated"
        }
    }

    /// ANSI red for a terminal; the words carry the meaning either way.
    static func red(_ text: String, _ color: Bool) -> String {
        color ? "\u{1B}[31m\(text)\u{1B}[0m" : text
    }
}
