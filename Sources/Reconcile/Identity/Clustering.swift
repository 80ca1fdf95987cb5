/// One person: the contact records identity resolution joined, and what joined them.
public struct IdentifiedPerson: Sendable, Hashable {
    /// Stable without a directory: the person's lowest record reference.
    public var id: String
    /// Positions of the person's records in the input, in order of their references.
    public var recordIndices: [Int]
    /// The person's record references, sorted.
    public var references: [String]
    /// Every key that joined two of the records (empty for a person with one record).
    public var matchedOn: [MatchKey]
}

/// The outcome of identity resolution: the people, the near misses and the warnings, each sorted, so
/// the same input in any order gives the same value.
public struct IdentityResolution: Sendable, Hashable {
    public var persons: [IdentifiedPerson]
    public var nearMisses: [NearMiss]
    public var warnings: [DedupeWarning]
}

/// Identity resolution: joins contact records into people across every source of a run.
///
/// 1. IT's `merge` overrides join first, unconditionally.
/// 2. The same `(school, contact id)` is the same person.
/// 3. Records that share a strong identifier (an e-mail or mobile no other person uses, or the same
///    address) and have compatible names join, strongest evidence first. A join is refused when it
///    would put two contacts of one pupil (in one source) into one person, when the people's names,
///    sexes or generations disagree, or when a `split` override keeps two of the records apart.
///
/// Joins are tried in a fixed order (strength, then reference), never in input order, so the result
/// does not depend on the order of the sources or of the rows in them.
public enum IdentityResolver {
    /// Resolves `records` into people, applying `overrides` over what the data says.
    public static func resolve(_ records: [IdentityRecord], overrides: [DedupeOverride] = []) -> IdentityResolution {
        resolve(RecordTable(records), pupils: RecordTable.numberedPupils(records), overrides: overrides)
    }

    /// The same, with the records as a table and their pupils as numbers.
    static func resolve(
        _ records: consuming RecordTable, pupils: NumberedPupils, overrides: [DedupeOverride]
    ) -> IdentityResolution {
        var state = ClusteringState(records: records, pupils: pupils)
        if !overrides.isEmpty {
            let index = state.referenceIndex()
            state.applyMerges(overrides.filter { $0.action == .merge }, index)
            state.applySplits(overrides.filter { $0.action == .split }, index)
        }
        state.joinSameContactIDs()
        state.joinOnStrongKeys()
        return state.result()
    }
}

/// The records' pupils as numbers, from a caller that numbered them already (`ParentResolver`): record
/// `r` of the input has `flat[start[r]..<start[r + 1]]`. Two records share a number exactly when they
/// are contacts of one pupil in sources of one name, as their references would tell.
struct NumberedPupils: Sendable {
    let start: [Int32]
    let flat: [Int32]
}
