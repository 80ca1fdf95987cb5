/// The role group writes a plan makes: value-level `member` adds and deletes, or the group's creation.
public struct RoleGroupPlan: Sendable, Hashable, Codable {
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
