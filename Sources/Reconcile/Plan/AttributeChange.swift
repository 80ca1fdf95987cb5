/// One value-level modification of an entry's attribute, as LDAP modify (or add, for a new entry)
/// carries it. Only values that differ are ever listed.
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

    public init(attribute: String, kind: Kind, values: [String]) {
        self.attribute = attribute
        self.kind = kind
        self.values = values.sorted()
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
}
