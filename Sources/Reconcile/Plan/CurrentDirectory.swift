/// What the directory holds that the planner compares against.
public struct CurrentDirectory: Sendable, Hashable {
    /// Every managed parent entry (under `parents_base`, with `misParent`).
    public var parents: [CurrentParent]
    /// The role group, when `parent_group` is configured.
    public var roleGroup: RoleGroupState?
    /// The pupils index: `<school_id>/<pupil_id>` → the DN of the pupil's entry under `pupils_base`.
    /// Used to find the `misChild` value of a link whose pupil has left the export.
    public var pupilDNs: [String: String]

    public init(parents: [CurrentParent], roleGroup: RoleGroupState? = nil, pupilDNs: [String: String] = [:]) {
        self.parents = parents
        self.roleGroup = roleGroup
        self.pupilDNs = pupilDNs
    }
}

/// The role group (`parent_group`, a `groupOfNames`) as read.
public struct RoleGroupState: Sendable, Hashable {
    /// `directory.parent_group`.
    public var dn: String
    /// False when the group entry does not exist yet: the plan creates it with its first member.
    public var exists: Bool
    /// Its `member` values, as read.
    public var members: Set<String>

    public init(dn: String, exists: Bool, members: Set<String> = []) {
        self.dn = dn
        self.exists = exists
        self.members = members
    }
}
