/// From the planned changes to the plan: gates, order, role group writes, counts.
extension PlanDraft {
    func finish() -> Plan {
        let gates = SafetyGates(context: context, parents: current.parents)
        let (gated, gatedHeld) = gates.apply(to: planned)
        let (toApply, held) = Self.holdingSplitsTogether(gated, gatedHeld, current: current.parents)
        let ordered = Self.inPlanOrder(toApply)
        let gateOf = Dictionary(held.map { ($0.change, $0.gate) }, uniquingKeysWith: { first, _ in first })
        let orderedHeld = Self.inPlanOrder(held.map(\.change)).map { HeldChange(change: $0, gate: gateOf[$0]!) }
        var warnings = warnings
        let roleGroup = roleGroupPlan(for: ordered, warnings: &warnings)

        // A change names its entry by the DN as read (a new account's DN is one no entry has: see
        // `takenDNs`), and no two entries' DNs compare alike: an entry is touched when its DN as read is
        // one a change names. (Folding 100,000 DNs to compare them took a tenth of a second of a run.)
        let touched = Set(planned.lazy.map(\.change.dn))
        // By index: `count(where:)` handed the test a copy of each entry.
        let unchanged = touched.isEmpty ? current.parents.count
            : current.parents.indices.count { !touched.contains(current.parents[$0].dn) }
        return Plan(
            summary: PlanSummary(changes: ordered, held: orderedHeld.count, unchanged: unchanged),
            changes: ordered, held: orderedHeld, warnings: warnings.sorted { ($0.code.rawValue, $0.message) < ($1.code.rawValue, $1.message) },
            roleGroup: roleGroup)
    }

    /// A split is one change in two entries: the old entry gives up records, a new account (or the entry the
    /// split-off person matched by identity keys) takes them. While the old entry's update is held, the
    /// taking change waits with it (same gate); otherwise the next run would find the split-off person in
    /// both entries and call it a conflict.
    static func holdingSplitsTogether(
        _ apply: [Change], _ held: [HeldChange], current: [CurrentParent]
    ) -> (apply: [Change], held: [HeldChange]) {
        var gateOfRecord: [String: SafetyGate] = [:]
        // Only a held update makes a split wait: without one, no index of every entry's records is needed.
        guard held.contains(where: { $0.change.action == .update }) else { return (apply, held) }
        let refsOfEntry = Dictionary(current.map { (DistinguishedNames.comparable($0.dn), $0.misContactRef) }, uniquingKeysWith: { first, _ in first })
        for item in held where item.change.action == .update {
            for ref in refsOfEntry[DistinguishedNames.comparable(item.change.dn)] ?? [] where gateOfRecord[ref] == nil {
                gateOfRecord[ref] = item.gate
            }
        }
        guard !gateOfRecord.isEmpty else { return (apply, held) }
        var kept: [Change] = []
        var moreHeld = held
        for change in apply {
            // The records the change gives its entry (a create's are all `add`).
            let records = change.action == .create || change.action == .update
                ? change.modifications.lazy.filter { $0.attribute == ParentAttribute.misContactRef && $0.kind == .add }.flatMap(\.values) : []
            if let gate = records.lazy.compactMap({ gateOfRecord[$0] }).first {
                moreHeld.append(HeldChange(change: change, gate: gate))
            } else {
                kept.append(change)
            }
        }
        return (kept, moreHeld)
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
