import Reconcile

extension EligibilityPolicy {
    /// The eligibility rules the config's `policy:` section states.
    public init(_ policy: PolicyConfig) {
        self.init(
            requireParentalResponsibility: policy.requireParentalResponsibility,
            unknownParentalResponsibility: UnknownParentalResponsibility(rawValue: policy.unknownParentalResponsibility.rawValue)
                ?? .deny,
            relationships: Set(policy.relationships), maxPriority: policy.maxPriority,
            careRelationships: Set(policy.careRelationships),
            jurisdiction: policy.jurisdiction.flatMap { Jurisdiction(rawValue: $0.rawValue) } ?? .unspecified)
    }
}
