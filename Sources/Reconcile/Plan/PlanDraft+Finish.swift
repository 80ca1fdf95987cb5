/// From the planned changes to the plan: gates, order, role group writes, counts.
extension PlanDraft {
    func finish() -> Plan {
        let gates = SafetyGates(context: context, parents: current.parents)
        let (toApply, held) = gates.apply(to: planned)
        let ordered = Self.inPlanOrder(toApply)
        let gateOf = Dictionary(held.map { ($0.change, $0.gate) }, uniquingKeysWith: { first, _ in first })
        let orderedHeld = Self.inPlanOrder(held.map(\.change)).map { HeldChange(change: $0, gate: gateOf[$0]!) }
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
    static func inPlanOrder(_ changes: [Change]) -> [Change] {
        changes.map { (PlanOrderKey($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// The sort key of a change in the plan (computed once per change: plans run to 100,000 entries).
struct PlanOrderKey: Comparable {
    private static let rank: [ChangeAction: Int] = Dictionary(
        uniqueKeysWithValues: [ChangeAction.create, .update, .enable, .link, .unlink, .disable, .delete]
            .enumerated().map { ($1, $0) })

    let revocationFirst: Int
    let action: Int
    let dn: String
    let pupil: String

    init(_ change: Change) {
        revocationFirst = change.cause == .revocation ? 0 : 1
        action = Self.rank[change.action]!
        dn = DistinguishedNames.comparable(change.dn)
        pupil = change.pupil ?? ""
    }

    static func < (a: Self, b: Self) -> Bool {
        (a.revocationFirst, a.action, a.dn, a.pupil) < (b.revocationFirst, b.action, b.dn, b.pupil)
    }
}
