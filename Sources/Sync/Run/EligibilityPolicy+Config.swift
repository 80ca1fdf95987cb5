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
            jurisdiction: policy.jurisdiction.flatMap { Jurisdiction(rawValue: $0.rawValue) } ?? .unspecified,
            lookedAfter: policy.lookedAfter == .auto ? .auto : .manual, reviewAge: policy.reviewAge)
    }
}

extension Config {
    /// The wording `policy.jurisdiction` picks for reports.
    public var reasonJurisdiction: Jurisdiction {
        policy.jurisdiction.flatMap { Jurisdiction(rawValue: $0.rawValue) } ?? .unspecified
    }
}
