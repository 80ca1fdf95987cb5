/// The safety gates: what looks like a broken export is held; a revocation never is (DESIGN.md Part A,
/// "A broken export must not lock out a school").
struct SafetyGates {
    let context: PlanContext
    let parents: [CurrentParent]
    let managedTotal: Int

    init(context: PlanContext, parents: [CurrentParent]) {
        self.context = context
        self.parents = parents
        managedTotal = parents.count
    }

    /// Managed accounts per school, the base of a percentage limit: counted only when a plan has
    /// disappearances the limits count (a run that changes little has none, and 100,000 entries' schools
    /// are worth not working out).
    static func managedPerSchool(_ parents: [CurrentParent]) -> [String: Int] {
        var perSchool: [String: Int] = [:]
        for parent in parents {
            for school in parent.schools { perSchool[school, default: 0] += 1 }
        }
        return perSchool
    }

    /// Splits the planned changes into those to apply and those held, each with the first gate that
    /// holds it.
    ///
    /// A limit that is exceeded holds every change of its kind (in that school, or overall), not only
    /// the excess: which of them are real and which come from a broken export cannot be told apart.
    func apply(to planned: [PlannedChange]) -> (apply: [Change], held: [HeldChange]) {
        var gateOf: [Int: SafetyGate] = [:]
        for (index, item) in planned.enumerated() where !item.followsDisable {
            if let gate = context.holdAllButRevocations ? .sourceUnreadable : sourceGate(for: item.change) { gateOf[index] = gate }
        }
        if !context.acceptLimits {
            let expected = expectedChanges(in: planned)
            let counted = planned.contains {
                ($0.change.action == .disable || $0.change.action == .unlink) && $0.change.cause == .disappearance
            }
            let managed = counted ? Self.managedPerSchool(parents) : [:]
            hold(.disable, beyond: context.limits.maxDisable, gate: .maxDisable, planned: planned,
                 expected: expected, managedPerSchool: managed, gateOf: &gateOf)
            hold(.unlink, beyond: context.limits.maxUnlink, gate: .maxUnlink, planned: planned,
                 expected: expected, managedPerSchool: managed, gateOf: &gateOf)
            let deletes = planned.indices.filter { planned[$0].change.action == .delete && gateOf[$0] == nil }
            if deletes.count > context.limits.maxDelete {
                for index in deletes { gateOf[index] = .maxDelete }
            }
        }
        // An unlink that comes with a disable goes, or stays, with it.
        var disableGate: [String: SafetyGate] = [:]
        for (index, item) in planned.enumerated() where item.change.action == .disable {
            if let gate = gateOf[index] { disableGate[item.change.dn] = gate }
        }
        for (index, item) in planned.enumerated() where item.followsDisable {
            gateOf[index] = disableGate[item.change.dn]
        }

        var toApply: [Change] = []
        var held: [HeldChange] = []
        for (index, item) in planned.enumerated() {
            if let gate = gateOf[index], item.change.cause != .revocation {
                held.append(HeldChange(change: item.change, gate: gate))
            } else {
                toApply.append(item.change)
            }
        }
        return (toApply, held)
    }

    /// The gate of an unhealthy school the change concerns, if any. A revocation has none; a shrunk
    /// source holds only disappearances; `--accept-limits` releases all but an unreadable source.
    private func sourceGate(for change: Change) -> SafetyGate? {
        guard change.cause != .revocation else { return nil }
        let problems = change.schools.compactMap { context.unhealthySchools[$0] }
            .filter { $0 != .shrunk || change.cause == .disappearance }
        guard let worst = SourceProblem.allCases.first(where: problems.contains) else { return nil }
        return context.acceptLimits && worst.gate.isReleasedByAcceptLimits ? nil : worst.gate
    }

    /// The unlinks of pupils expected to leave (`PlanContext.expectedLeavers`), and the disables whose
    /// every unlink is one: the limits neither count nor hold them.
    private func expectedChanges(in planned: [PlannedChange]) -> Set<Int> {
        guard !context.expectedLeavers.isEmpty else { return [] }
        var expected = Set<Int>()
        var disableIsExpected: [String: Bool] = [:]
        for (index, item) in planned.enumerated() where item.change.action == .unlink {
            let isLeaver = item.change.pupil.map(context.expectedLeavers.contains) ?? false
            if item.followsDisable {
                disableIsExpected[item.change.dn] = (disableIsExpected[item.change.dn] ?? true) && isLeaver
            } else if isLeaver {
                expected.insert(index)
            }
        }
        for (index, item) in planned.enumerated()
        where item.change.action == .disable && disableIsExpected[item.change.dn] == true {
            expected.insert(index)
        }
        return expected
    }

    /// Holds every disappearance-caused change of `kind` in each school where their number exceeds the
    /// limit, then every remaining one if their number overall exceeds it.
    private func hold(
        _ kind: ChangeAction, beyond limit: SafetyLimit, gate: SafetyGate, planned: [PlannedChange],
        expected: Set<Int>, managedPerSchool: [String: Int], gateOf: inout [Int: SafetyGate]
    ) {
        let candidates = planned.indices.filter {
            let change = planned[$0].change
            return change.action == kind && change.cause == .disappearance && !planned[$0].followsDisable
                && !planned[$0].disablesPendingAccount && gateOf[$0] == nil && !expected.contains($0)
        }
        var perSchool: [String: Int] = [:]
        for index in candidates {
            for school in planned[index].change.schools { perSchool[school, default: 0] += 1 }
        }
        let overLimit = Set(perSchool.filter { limit.isExceeded(by: $0.value, managed: managedPerSchool[$0.key] ?? 0) }.keys)
        var remaining: [Int] = []
        for index in candidates {
            if planned[index].change.schools.contains(where: overLimit.contains) {
                gateOf[index] = gate
            } else {
                remaining.append(index)
            }
        }
        if limit.isExceeded(by: remaining.count, managed: managedTotal) {
            for index in remaining { gateOf[index] = gate }
        }
    }
}
