import Reconcile

extension PlanReport {
    /// One row per change (held ones included, with their gate), for a spreadsheet; then one `review`
    /// row per link waiting for the school office (its contact in `parent_id`, nothing to change).
    public func csv() -> String {
        var out = "action,dn,parent_id,pupil,schools,cause,reasons,held_by,changes\r\n"
        let rows = plan.changes.map { ($0, nil as String?) } + plan.held.map { ($0.change, $0.gate.rawValue) }
        for (change, gate) in rows {
            let changes = change.modifications.map {
                "\($0.kind.rawValue) \($0.attribute): \($0.values.joined(separator: "|"))\($0.previousNote(separator: "|"))"
            }
            let fields = [
                change.action.rawValue, change.dn, change.parentID, change.pupil ?? "", change.schools.joined(separator: " "),
                change.cause.rawValue, change.reasons.map(\.code).joined(separator: " "), gate ?? "", changes.joined(separator: "; "),
            ]
            out += fields.map(CredentialsWriter.quoted).joined(separator: ",") + "\r\n"
        }
        for item in plan.review {
            let fields = [
                "review", "", "\(item.name) (\(item.contact))", item.pupil, String(item.pupil.split(separator: "/").first ?? ""), "",
                item.reasons.map(\.rawValue).joined(separator: " "), "", "",
            ]
            out += fields.map(CredentialsWriter.quoted).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
