/// The planner's result: every change with its reasons, what the gates held and why, and warnings.
/// Its `Codable` form is `plan --format json` (DESIGN.md Part B).
public struct Plan: Sendable, Hashable, Codable {
    /// The counts (`summary` of Part B).
    public var summary: PlanSummary
    /// The changes to apply: revocations first, then by action, DN and pupil.
    public var changes: [Change]
    /// The changes the gates held, each with its gate, in the same order.
    public var held: [HeldChange]
    /// What IT should know besides the changes (conflicts, a username taken, the group placeholder).
    public var warnings: [PlanWarning]
    /// The role group writes that follow from `changes` (nil when no group is configured or nothing
    /// changes in it).
    public var roleGroup: RoleGroupPlan?
    /// Links waiting for the school office: unknown parental responsibility under `review`, and
    /// looked-after pupils or pupils at `review_age` without an approval. Nothing is written for them.
    public var review: [ReviewItem] = []

    public init(
        summary: PlanSummary, changes: [Change], held: [HeldChange], warnings: [PlanWarning],
        roleGroup: RoleGroupPlan?, review: [ReviewItem] = []
    ) {
        self.review = review
        self.summary = summary
        self.changes = changes
        self.held = held
        self.warnings = warnings
        self.roleGroup = roleGroup
    }

    /// True when a gate held something back: the run exits 3.
    public var hasHeldChanges: Bool { !held.isEmpty }

    enum CodingKeys: String, CodingKey {
        case summary, changes, held, warnings, review
        case roleGroup = "role_group"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        summary = try container.decode(PlanSummary.self, forKey: .summary)
        changes = try container.decode([Change].self, forKey: .changes)
        held = try container.decode([HeldChange].self, forKey: .held)
        warnings = try container.decode([PlanWarning].self, forKey: .warnings)
        roleGroup = try container.decodeIfPresent(RoleGroupPlan.self, forKey: .roleGroup)
        review = try container.decodeIfPresent([ReviewItem].self, forKey: .review) ?? []
    }
}

/// The counts of a plan: each action among the changes to apply, the entries left as they are, and
/// the changes held.
public struct PlanSummary: Sendable, Hashable, Codable {
    /// Changes to apply, by action.
    public var create = 0
    public var update = 0
    public var disable = 0
    public var enable = 0
    public var delete = 0
    public var link = 0
    public var unlink = 0
    /// Managed entries the plan neither changes nor holds a change for.
    public var unchanged = 0
    /// Changes the gates held.
    public var held = 0

    public init() {}

    /// The counts of `changes` by action, with the held and unchanged counts given.
    public init(changes: [Change], held: Int, unchanged: Int) {
        for change in changes {
            switch change.action {
            case .create: create += 1
            case .update: update += 1
            case .disable: disable += 1
            case .enable: enable += 1
            case .delete: delete += 1
            case .link: link += 1
            case .unlink: unlink += 1
            }
        }
        self.held = held
        self.unchanged = unchanged
    }
}

/// A change a safety gate held back: encoded as the change's fields plus `gate`.
public struct HeldChange: Sendable, Hashable, Codable {
    /// The change as it would have been applied.
    public var change: Change
    /// The first gate that holds it.
    public var gate: SafetyGate

    public init(change: Change, gate: SafetyGate) {
        self.change = change
        self.gate = gate
    }

    enum CodingKeys: String, CodingKey { case gate }

    public init(from decoder: any Decoder) throws {
        change = try Change(from: decoder)
        gate = try decoder.container(keyedBy: CodingKeys.self).decode(SafetyGate.self, forKey: .gate)
    }

    public func encode(to encoder: any Encoder) throws {
        try change.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gate, forKey: .gate)
    }
}

/// Something IT should know that is not a change: `{"code", "message"}`.
public struct PlanWarning: Sendable, Hashable, Codable {
    /// What kind of warning, for scripts.
    public var code: WarningCode
    /// The warning in plain words, naming the people and entries.
    public var message: String

    public init(code: WarningCode, message: String) {
        self.code = code
        self.message = message
    }
}

/// The kinds of plan warnings.
public enum WarningCode: String, Sendable, Hashable, Codable {
    /// A person's records overlap two or more entries: they are left alone but for revocations.
    case conflict
    /// A new account's username is already the `uid` of another managed entry: not created.
    case usernameTaken = "username-taken"
    /// The role group would be left empty, which `groupOfNames` forbids: it keeps a placeholder member.
    case groupPlaceholder = "group-placeholder"
    /// A value the directory's attribute syntax cannot hold (an internationalised e-mail address in
    /// `mail`, say): left out of the entry, which is still written.
    case valueLeftOut = "value-left-out"
    /// A contact with parental responsibility gets no link only because of `relationships` or
    /// `max_priority`, operational filters that are not legal status.
    case parentFiltered = "parent-filtered"
    /// A restriction the school set ended or was taken out of the file since the last run.
    case restrictionLifted = "restriction-lifted"
}
