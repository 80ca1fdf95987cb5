/// What a change does to an entry (the keys of the plan's `summary`).
public enum ChangeAction: String, Sendable, Hashable, Codable, CaseIterable {
    case create, update, link, unlink, disable, enable, delete
}

/// What caused a change, which decides what may hold it.
public enum ChangeCause: String, Sendable, Hashable, Codable {
    /// The sources revoke access: applied in this run whatever the gates say, and first.
    case revocation
    /// Contacts or links disappeared from the sources: held by the limits and unhealthy sources.
    case disappearance
    /// Everything else (new accounts and links, changed details, deletes after the grace period).
    case routine
}

/// A change to the role group's `member` values that a change brings with it.
public struct MembershipChange: Sendable, Hashable, Codable {
    /// `add` when the account joins the group, `delete` when it leaves.
    public var kind: AttributeChange.Kind
    /// The account's DN (the `member` value).
    public var member: String

    public init(kind: AttributeChange.Kind, member: String) {
        self.kind = kind
        self.member = member
    }
}

/// One change of the plan: one entry and one action, or for `link`/`unlink` one parent–child pair.
public struct Change: Sendable, Hashable, Codable {
    /// What the change does.
    public var action: ChangeAction
    /// The parent entry the change writes.
    public var dn: String
    /// The entry's `misParentId` (a new entry's: the person's id).
    public var parentID: String
    /// Why, in codes with plain words (sorted, no repeats).
    public var reasons: [ChangeReason]
    /// `<school_id>/<pupil_id>` for `link` and `unlink`.
    public var pupil: String?
    /// The schools the change concerns: the pupil's for a link or unlink, else every school of the
    /// entry and of its person. The per-school gates count and hold by these.
    public var schools: [String]
    /// What caused it: a revocation is never held and comes first.
    public var cause: ChangeCause
    /// The writes to `dn`: for `create`, every attribute of the new entry (kind `add`); for `delete`,
    /// none.
    public var modifications: [AttributeChange]
    /// The role group membership the change brings, if any (applied through the plan's `roleGroup`).
    public var group: MembershipChange?

    public init(
        action: ChangeAction, dn: String, parentID: String, reasons: [ChangeReason], pupil: String? = nil,
        schools: some Sequence<String>, cause: ChangeCause, modifications: [AttributeChange],
        group: MembershipChange? = nil
    ) {
        self.action = action
        self.dn = dn
        self.parentID = parentID
        self.reasons = Array(Set(reasons)).sorted()
        self.pupil = pupil
        self.schools = Array(Set(schools)).sorted()
        self.cause = cause
        self.modifications = modifications.sorted { ($0.attribute, $0.kind.rawValue) < ($1.attribute, $1.kind.rawValue) }
        self.group = group
    }

    enum CodingKeys: String, CodingKey {
        case action, dn, reasons, pupil, schools, cause, modifications, group
        case parentID = "parent_id"
    }
}
