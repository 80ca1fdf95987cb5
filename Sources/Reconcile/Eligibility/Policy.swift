import Roster

/// Who may hold an account, as the config's `policy` section says (DESIGN.md Part B). Sync maps the
/// YAML into this value; the defaults are the config's defaults, chosen to fail safe.
public struct EligibilityPolicy: Sendable, Hashable {
    /// What to do when a source does not say whether a contact has parental responsibility.
    public enum UnknownParentalResponsibility: String, Sendable, Hashable, CaseIterable, Codable {
        /// Treat as having it.
        case allow
        /// No account.
        case deny
        /// No account, and the contact is listed for the school office to review.
        case review
    }

    /// `require_parental_responsibility`: a link needs parental responsibility (or care, see
    /// `careRelationships`) to be eligible.
    public var requireParentalResponsibility: Bool
    /// `unknown_parental_responsibility`.
    public var unknownParentalResponsibility: UnknownParentalResponsibility
    /// `relationships`: the allowed normalised relationships; empty allows any.
    public var relationships: Set<Relationship>
    /// `max_priority`: links with a higher priority number are not eligible; 0 means no limit.
    public var maxPriority: Int
    /// `care_relationships`: relationships that count as "has care of the child" without parental
    /// responsibility. Nothing counts as care unless the school lists it.
    public var careRelationships: Set<Relationship>
    /// `jurisdiction`: picks the wording of the reasons, never the decisions.
    public var jurisdiction: Jurisdiction

    public init(
        requireParentalResponsibility: Bool = true, unknownParentalResponsibility: UnknownParentalResponsibility = .deny,
        relationships: Set<Relationship> = [], maxPriority: Int = 0, careRelationships: Set<Relationship> = [],
        jurisdiction: Jurisdiction = .unspecified
    ) {
        self.requireParentalResponsibility = requireParentalResponsibility
        self.unknownParentalResponsibility = unknownParentalResponsibility
        self.relationships = relationships
        self.maxPriority = maxPriority
        self.careRelationships = careRelationships
        self.jurisdiction = jurisdiction
    }
}
