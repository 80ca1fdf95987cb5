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
    /// `looked_after`: whether links to looked-after pupils wait for the school's approval.
    public var lookedAfter: LookedAfter
    /// `review_age`: pupils this old or older are treated like looked-after ones; 0 turns it off.
    public var reviewAge: Int
    /// The school's restrictions, reviewed court-order overrides and approvals.
    public var rules: SafeguardingRules

    /// `looked_after: manual | auto`.
    public enum LookedAfter: String, Sendable, Hashable, CaseIterable, Codable {
        /// No link until the school approves it (the default: a care plan decides who may see the child).
        case manual
        /// Like any other pupil.
        case auto
    }

    public init(
        requireParentalResponsibility: Bool = true, unknownParentalResponsibility: UnknownParentalResponsibility = .deny,
        relationships: Set<Relationship> = [], maxPriority: Int = 0, careRelationships: Set<Relationship> = [],
        jurisdiction: Jurisdiction = .unspecified, lookedAfter: LookedAfter = .manual, reviewAge: Int = 18,
        rules: SafeguardingRules = SafeguardingRules()
    ) {
        self.lookedAfter = lookedAfter
        self.reviewAge = reviewAge
        self.rules = rules
        self.requireParentalResponsibility = requireParentalResponsibility
        self.unknownParentalResponsibility = unknownParentalResponsibility
        self.relationships = relationships
        self.maxPriority = maxPriority
        self.careRelationships = careRelationships
        self.jurisdiction = jurisdiction
    }
}

extension EligibilityPolicy {
    /// Whether links to `pupil` need the school's approval on `date`: looked after under `manual`, or at
    /// `review_age` or older (from the date of birth; a pupil without one is not assumed old).
    public func pupilNeedsApproval(_ pupil: Pupil, on date: CalendarDate) -> Bool {
        if lookedAfter == .manual, pupil.lookedAfter == .yes { return true }
        guard reviewAge > 0, let born = pupil.dateOfBirth else { return false }
        return Self.age(born: born, on: date) >= reviewAge
    }

    /// Whole years from `born` to `date` (a birthday counts on the day; 29 February on 1 March).
    public static func age(born: CalendarDate, on date: CalendarDate) -> Int {
        let hadBirthday = (date.month, date.day) >= (born.month, born.day)
        return date.year - born.year - (hadBirthday ? 0 : 1)
    }
}
