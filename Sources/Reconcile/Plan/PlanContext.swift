import Foundation

/// Everything besides the desired and current state that a plan depends on.
public struct PlanContext: Sendable {
    /// The time of the run: written to `misStatusSince`, and compared with it for deletes.
    public var now: Date
    /// `directory.parents_base`: new entries are `uid=<username>,<parentsBase>`.
    public var parentsBase: String
    /// The `safety` limits and the delete settings.
    public var limits: SafetyLimits
    /// Schools whose sources are not healthy this run, with the worst problem of each.
    public var unhealthySchools: [String: SourceProblem]
    /// `--accept-limits`: releases every gate but an unreadable source.
    public var acceptLimits: Bool
    /// `accounts.activation`.
    public var activation: ActivationMode
    /// Pupils (`<school_id>/<pupil_id>`) whose leaving is expected this run: those of
    /// `safety.leaving_year_groups` at the end of the school year, as the run decides from the last good
    /// run and the date. Their parents' unlinks and disables are neither counted nor held by
    /// `max_unlink` and `max_disable`, so that every school's July run does not stop at the limits.
    public var expectedLeavers: Set<String>
    /// A source could not be read: every change but the revocations is held (`source-unreadable`), in
    /// every school, which is exit 2's promise ("nothing written but revocations from the sources that
    /// could be read"). The role group then moves only with the revocations.
    public var holdAllButRevocations: Bool

    public init(
        now: Date, parentsBase: String, limits: SafetyLimits = SafetyLimits(),
        unhealthySchools: [String: SourceProblem] = [:], acceptLimits: Bool = false,
        activation: ActivationMode = .onCreate, expectedLeavers: Set<String> = [], holdAllButRevocations: Bool = false
    ) {
        self.expectedLeavers = expectedLeavers
        self.holdAllButRevocations = holdAllButRevocations
        self.now = now
        self.parentsBase = parentsBase
        self.limits = limits
        self.unhealthySchools = unhealthySchools
        self.acceptLimits = acceptLimits
        self.activation = activation
    }
}

/// `accounts.activation`: when a new (or re-enabled) account may log in.
public enum ActivationMode: String, Sendable, Hashable, Codable {
    /// At once.
    case onCreate = "on_create"
    /// Only once its first password has been handed over: until then it is `pending` (locked).
    case onHandover = "on_handover"

    /// The status of an account that is being created or enabled.
    var newAccountStatus: AccountStatus { self == .onCreate ? .active : .pending }
}

/// What is wrong with a school's sources this run, worst first. The run passes the worst one per school.
public enum SourceProblem: String, Sendable, Hashable, Codable, CaseIterable {
    /// A source could not be read or failed validation: nothing of the school is known, so everything
    /// of it but the revocations found elsewhere is held, and `--accept-limits` does not release it.
    case unreadable
    /// A source's columns differ from its last good run: a column mapped wrongly can rewrite every
    /// value, so everything of the school but revocations is held until accepted.
    case columnsChanged = "columns-changed"
    /// A source has fewer records than `min_source_ratio` × its last good run: the records that are
    /// there were read correctly, so only what the missing ones would cause (disables and unlinks of
    /// disappeared contacts) is held until accepted.
    case shrunk

    /// The gate that holds the school's changes.
    var gate: SafetyGate {
        switch self {
        case .unreadable: .sourceUnreadable
        case .columnsChanged: .sourceColumnsChanged
        case .shrunk: .sourceShrunk
        }
    }
}
