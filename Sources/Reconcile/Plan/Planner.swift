/// The planner: desired state against current state, then the safety gates (DESIGN.md Part A, "The
/// flow"). Pure: values in, a plan out.
public enum Planner {
    /// Plans every change that brings the managed entries and the role group in line with `desired`.
    ///
    /// - Parameters:
    ///   - desired: one value per person, as identity resolution and eligibility decided them, with the
    ///     allocator's username for those without an entry (see `ParentMatcher`).
    ///   - current: the managed entries, the role group and the pupils index as read.
    ///   - context: the time, the parents base, the safety limits and the health of each school's sources.
    ///   - matched: the matching `ParentMatcher.matchForPlanning` made of the same people (in the same order)
    ///     and entries, if the caller has one; nil matches here.
    /// - Returns: the changes to apply (revocations first), the changes held with their gate, warnings and
    ///   the role group writes. The order of `desired` and of `current.parents` does not matter.
    public static func plan(
        desired: [DesiredParent], current: CurrentDirectory, context: PlanContext, matched: PlannerMatching? = nil
    ) -> Plan {
        plan(desired: desired, current: current, context: context, matched: matched, skippingUnchanged: true)
    }

    /// `plan`, with the no-op fast path (`PlanDraft.isUnchanged`) on or off: off only to test it against
    /// the general path.
    static func plan(
        desired: [DesiredParent], current: CurrentDirectory, context: PlanContext, matched: PlannerMatching?,
        skippingUnchanged: Bool
    ) -> Plan {
        let matching = matched.flatMap { $0.fits(desired, current.parents) ? $0.index : nil }
            ?? IndexMatching(desired: desired, parents: current.parents)
        var draft = PlanDraft(desired: desired, current: current, context: context)

        draft.planConflicts(matching.conflicts, desired: desired)
        // Through buffer pointers: a person or an entry taken out of an array here was a copy (a retain
        // and a release of each of its values, 100,000 times a run).
        var settled = [Bool](repeating: false, count: desired.count)
        // Most entries of a run need nothing: told from their values without building what planning needs
        // (on two threads for a local authority).
        let unchanged = skippingUnchanged ? draft.unchangedPeople(desired, matching: matching) : []
        // Through the base pointers: a buffer's subscript hands out a copy of the whole person or entry.
        desired.withUnsafeBufferPointer { buffer in
            current.parents.withUnsafeBufferPointer { entryBuffer in
                guard let people = buffer.baseAddress, let entries = entryBuffer.baseAddress else { return }
                for person in buffer.indices {
                    guard let entry = matching.entry(ofPerson: person) else { continue }
                    settled[person] = true
                    if skippingUnchanged, unchanged[person] { continue }
                    draft.planMatched(people[person], entry: entries[entry])
                }
            }
        }
        for conflict in matching.conflicts {
            for person in conflict.persons { settled[person] = true }
        }
        let newcomers = desired.indices.filter { !settled[$0] }.sorted { desired[$0].personID < desired[$1].personID }
        for person in newcomers {
            draft.planCreate(desired[person])
        }
        for entry in matching.unmatchedEntries {
            draft.planOrphan(current.parents[entry])
        }
        return draft.finish()
    }
}
