/// From the planned changes to the plan: gates, order, role group writes, counts.
extension PlanDraft {
    func finish() -> Plan {
        let gates = SafetyGates(context: context, parents: current.parents)
        let (toApply, held) = gates.apply(to: planned)
        let ordered = toApply.sorted(by: Self.planOrder)
        let orderedHeld = held.sorted { Self.planOrder($0.change, $1.change) }
        var warnings = warnings
        let roleGroup = roleGroupPlan(for: ordered, warnings: &warnings)

        let touched = Set(planned.map { DistinguishedNames.comparable($0.change.dn) })
        let unchanged = current.parents.count { !touched.contains(DistinguishedNames.comparable($0.dn)) }
        return Plan(
            summary: PlanSummary(changes: ordered, held: orderedHeld.count, unchanged: unchanged),
            changes: ordered, held: orderedHeld, warnings: warnings.sorted { ($0.code.rawValue, $0.message) < ($1.code.rawValue, $1.message) },
            roleGroup: roleGroup)
    }

    /// Revocations first; then creates before the changes of existing entries, deletes last; within an
    /// action by DN and pupil, so the same state always gives the same plan.
    static func planOrder(_ a: Change, _ b: Change) -> Bool {
        let rank: [ChangeAction] = [.create, .update, .enable, .link, .unlink, .disable, .delete]
        let keyA = (a.cause == .revocation ? 0 : 1, rank.firstIndex(of: a.action)!)
        let keyB = (b.cause == .revocation ? 0 : 1, rank.firstIndex(of: b.action)!)
        if keyA != keyB { return keyA < keyB }
        let dnA = DistinguishedNames.comparable(a.dn)
        let dnB = DistinguishedNames.comparable(b.dn)
        return dnA != dnB ? dnA < dnB : (a.pupil ?? "") < (b.pupil ?? "")
    }
}
