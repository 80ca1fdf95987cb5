/// One value-level modification of an entry's attribute, as LDAP modify (or add, for a new entry)
/// carries it. Only values that differ are ever listed.
///
/// Two modifications are equal when they write the same: `previous`, a note for the plan's reader, is
/// left out of `==` and of the hash, so a plan compares alike however much of the entry it recorded.
public struct AttributeChange: Sendable, Hashable, Codable {
    /// How the values are written.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Add these values (for a new entry: its values).
        case add
        /// Delete exactly these values; an empty list deletes the attribute.
        case delete
        /// Replace all values with these (single-valued attributes).
        case replace
    }

    /// The attribute's name, as in `ParentAttribute`.
    public var attribute: String
    /// Add, delete or replace.
    public var kind: Kind
    /// Sorted, so plans compare and print alike.
    public var values: [String]
    /// For a `replace` of a parent's name, e-mail or mobile: what the entry held when the plan was made
    /// (empty when it held nothing), so that a dry run shows what is replaced, not only by what
    /// (`= mail: new@example.org (was old@example.org)`). Nil where the planner records nothing.
    public var previous: [String]?

    public init(attribute: String, kind: Kind, values: [String], previous: [String]? = nil) {
        self.attribute = attribute
        self.kind = kind
        self.values = values.sorted()
        self.previous = previous?.sorted()
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.attribute == rhs.attribute && lhs.kind == rhs.kind && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(attribute)
        hasher.combine(kind)
        hasher.combine(values)
    }

    static func add(_ attribute: String, _ values: some Sequence<String>) -> Self {
        Self(attribute: attribute, kind: .add, values: Array(values))
    }

    static func delete(_ attribute: String, _ values: some Sequence<String>) -> Self {
        Self(attribute: attribute, kind: .delete, values: Array(values))
    }

    static func replace(_ attribute: String, _ value: String) -> Self {
        Self(attribute: attribute, kind: .replace, values: [value])
    }

    /// A replace that records the value it replaces (nil: the entry had none).
    static func replace(_ attribute: String, _ value: String, previous: String?) -> Self {
        Self(attribute: attribute, kind: .replace, values: [value], previous: previous.map { [$0] } ?? [])
    }
}
