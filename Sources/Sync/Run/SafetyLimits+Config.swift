import Reconcile

extension SafetyLimits {
    /// The limits of the config's `safety` section, with `accounts.delete_after_days`.
    public init(_ safety: SafetyConfig, deleteAfterDays: Int) {
        func limit(_ value: SafetyConfig.Limit) -> SafetyLimit {
            switch value {
            case .count(let count): .count(count)
            case .percent(let percent): .percentage(percent)
            }
        }
        let maxDelete: Int = switch safety.maxDelete {
        case .count(let count): count
        // The planner counts deletes, it takes no share; a percentage here is read the safe way: no deletes.
        case .percent: 0
        }
        self.init(maxDisable: limit(safety.maxDisable), maxUnlink: limit(safety.maxUnlink), maxDelete: maxDelete, deleteAfterDays: deleteAfterDays)
    }
}
