import Reconcile

/// Restrictions are lifted by `restore`, by their `ends_on` passing, or by someone editing the file: the
/// last two leave no trace of their own, so each apply compares the restrictions in force with those of
/// the last apply and logs every one that went.
public enum RestrictionLog {
    /// One text per restriction in force: pupil (or `*`) and person, as people read them.
    public static func keys(_ rules: LinkRules) -> [String] {
        Array(Set(rules.rules.map { "\($0.pupil?.description ?? "*") \($0.person)" })).sorted()
    }

    /// Those of `before` no longer in force.
    public static func lifted(since before: [String], now: [String]) -> [String] {
        Array(Set(before).subtracting(now)).sorted()
    }
}
