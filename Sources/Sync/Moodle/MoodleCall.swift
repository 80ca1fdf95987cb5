/// One thing Moodle must be told, as ldap-sync plans and remembers it (Moodle's own ids are looked up
/// when the call is made, except for an unassign, which uses the ids the assignment was made with: the
/// pupil may have left the directory since).
public struct MoodleCall: Sendable, Hashable, Codable, Comparable {
    /// What the call does, in the order a run makes them: what takes access away first.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// `core_user_update_users` with `suspended: 1` (ends the parent's sessions and app tokens).
        case suspend
        /// `core_role_unassign_roles` of the parent role in the pupil's user context.
        case unassign
        /// `core_user_update_users` with `suspended: 0`.
        case unsuspend
        /// `core_role_assign_roles` of the parent role in the pupil's user context.
        case assign

        /// The web-service function that makes it.
        public var function: String {
            switch self {
            case .suspend, .unsuspend: "core_user_update_users"
            case .unassign: "core_role_unassign_roles"
            case .assign: "core_role_assign_roles"
            }
        }

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    /// The parent's Moodle username (their directory `uid`).
    public var parent: String
    /// The pupil's Moodle key (`idnumber` or `username`, per `pupil_match`), for assign and unassign.
    public var pupil: String?
    /// For an unassign: the Moodle ids of the assignment made.
    public var parentID: Int?
    public var pupilID: Int?
    /// For an unassign: the role the assignment was made with.
    public var roleID: Int?

    public init(kind: Kind, parent: String, pupil: String? = nil, parentID: Int? = nil, pupilID: Int? = nil, roleID: Int? = nil) {
        self.kind = kind
        self.parent = parent
        self.pupil = pupil
        self.parentID = parentID
        self.pupilID = pupilID
        self.roleID = roleID
    }

    /// The same call whatever ids it carries: an owed call and the one planned again match by this.
    var key: String { "\(kind.rawValue) \(parent) \(pupil ?? "")" }

    /// In words, for reports and logs: `core_role_unassign_roles: parent role of ann.smith for pupil A100…`.
    public var description: String {
        switch kind {
        case .suspend: "\(kind.function): suspend \(parent)"
        case .unsuspend: "\(kind.function): unsuspend \(parent)"
        case .unassign: "\(kind.function): parent role of \(parent) for pupil \(pupil ?? "?") removed"
        case .assign: "\(kind.function): parent role of \(parent) for pupil \(pupil ?? "?")"
        }
    }

    public static func < (lhs: MoodleCall, rhs: MoodleCall) -> Bool {
        (lhs.kind, lhs.parent, lhs.pupil ?? "") < (rhs.kind, rhs.parent, rhs.pupil ?? "")
    }
}
