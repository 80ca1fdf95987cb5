/// The role group writes a plan makes: value-level `member` adds and deletes, or the group's creation.
///
/// Apply it after the plan's changes (a new member's entry exists by then), as one modify with the adds
/// before the deletes: a `groupOfNames` must never be left without a member, not even between two
/// operations, which is how the placeholder member replaces the last real one.
public struct RoleGroupPlan: Sendable, Hashable, Codable {
    /// The group's DN.
    public var dn: String
    /// True when the group does not exist yet: add the entry with `creation`'s attributes.
    public var create: Bool
    /// The attributes of the new group entry (`objectClass`, `cn`, its first `member`s); empty unless
    /// `create`.
    public var creation: [AttributeChange]
    /// `member` values to add to an existing group.
    public var add: [String]
    /// `member` values to delete from an existing group.
    public var delete: [String]

    public init(dn: String, create: Bool, creation: [AttributeChange], add: [String], delete: [String]) {
        self.dn = dn
        self.create = create
        self.creation = creation
        self.add = add.sorted()
        self.delete = delete.sorted()
    }
}
