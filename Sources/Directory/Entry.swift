import Varint

/// One attribute of an entry with its values. Values are raw bytes: binary attributes and values with
/// NUL inside survive intact (libldap's `bv_len` is honoured, never a C string).
public struct Attribute: Sendable, Hashable {
    public var name: String
    public var values: [[UInt8]]

    public init(_ name: String, values: [[UInt8]]) {
        self.name = name
        self.values = values
    }

    public init(_ name: String, _ strings: [String]) {
        self.init(name, values: strings.map { Array($0.utf8) })
    }

    /// The values decoded as UTF-8 (the syntax of nearly every attribute ldap-sync reads).
    public var strings: [String] { values.map { String(decoding: $0, as: UTF8.self) } }
}

/// An entry returned by a search.
///
/// The attributes live in one byte buffer (`EntryLayout`): names and values where they lie, with a table of
/// their ranges. A run reads some 200,000 entries of a dozen attributes each; as a String and an array per
/// name and value that was some forty allocations an entry and most of the run's memory. `attributes` and
/// `self[name]` still hand out `Attribute` values; the accessors below them read the bytes in place.
public struct Entry: Sendable, Hashable {
    public var dn: String
    /// `EntryLayout`'s bytes. Built the same way from the same names and values (in order), so equal
    /// buffers mean equal entries: the synthesised `==` and `hash` compare what `attributes` would.
    var storage: [UInt8]

    public init(dn: String, attributes: [Attribute]) {
        self.dn = dn
        self.storage = EntryLayout.encode(attributes)
    }

    /// An entry over bytes already laid out by `EntryLayout`.
    init(dn: String, storage: [UInt8]) {
        self.dn = dn
        self.storage = storage
    }

    /// The attributes as one buffer of bytes, to be kept and made into the same entry again with
    /// `init(dn:encodedAttributes:)` (the state folder's copy of the last read keeps entries so).
    public var encodedAttributes: [UInt8] { storage }

    /// The entry whose `encodedAttributes` were `bytes`. The bytes are trusted to be such a buffer: a
    /// caller keeping them checks them on the way back (a checksum), as a buffer cut short reads wrong.
    public init(dn: String, encodedAttributes bytes: [UInt8]) {
        self.init(dn: dn, storage: bytes)
    }

    /// The attributes in the order the server sent them. Each read makes them anew (names and values
    /// copied out): a hot path reads with `string(_:)`, `forEachAttribute` or `withValues(of:_:)` instead.
    public var attributes: [Attribute] {
        get { storage.withUnsafeBytes { EntryLayout($0).attributes } }
        set { storage = EntryLayout.encode(newValue) }
    }

    /// How many attributes the entry has.
    public var attributeCount: Int {
        storage.withUnsafeBytes { EntryLayout($0).attributeCount }
    }

    /// The attribute named `name`, matched without regard to case as LDAP attribute names are.
    public subscript(name: String) -> Attribute? {
        storage.withUnsafeBytes { EntryLayout($0).slot(named: name).map(EntryLayout.attribute) }
    }

    /// Attribute names are ASCII (RFC 4512 `keystring`, or an OID): compared byte by byte, folding
    /// A–Z, without making lower-case copies (a run reads a dozen names from each of 100,000 entries).
    static func sameName(_ a: String, _ b: String) -> Bool {
        EntryLayout.withBytes(of: a) { left in EntryLayout.withBytes(of: b) { right in EntryLayout.sameName(left, right) } }
    }

    /// The string values of `name`, empty when the entry does not have it.
    public func strings(_ name: String) -> [String] {
        withValues(of: name) { values in values.map(EntryLayout.string) } ?? []
    }

    /// The first string value of `name`.
    public func string(_ name: String) -> String? {
        withValues(of: name) { values in values.first.map(EntryLayout.string) } ?? nil
    }

    /// Calls `body` with the values of the first attribute named `name` (without regard to case), read in
    /// place; nil when the entry has no such attribute. The buffers are valid only inside `body`.
    public func withValues<Result>(of name: String, _ body: (Values) throws -> Result) rethrows -> Result? {
        try storage.withUnsafeBytes { raw in
            guard let slot = EntryLayout(raw).slot(named: name) else { return nil }
            return try body(slot.values)
        }
    }

    /// Whether the first attribute named `name` has a value that satisfies `predicate`.
    public func contains(_ name: String, where predicate: (UnsafeRawBufferPointer) throws -> Bool) rethrows -> Bool {
        try withValues(of: name) { values in try values.contains(where: predicate) } ?? false
    }

    /// Whether the first attribute named `name` has `value`, ASCII letters compared without regard to case
    /// (`objectClass: misParent`).
    public func contains(_ name: String, caseInsensitiveValue value: String) -> Bool {
        EntryLayout.withBytes(of: value) { wanted in contains(name) { EntryLayout.sameName($0, wanted) } }
    }

    /// Calls `body` with each attribute, names and values read in place, in the order the server sent them.
    /// The buffers are valid only inside `body`.
    public func forEachAttribute(_ body: (AttributeView) throws -> Void) rethrows {
        try storage.withUnsafeBytes { raw in
            try EntryLayout(raw).forEach { slot in
                try body(AttributeView(name: slot.name, values: slot.values))
                return true
            }
        }
    }

    /// The entry without the attributes `keep` turns down; the entry itself (no copy) when it keeps them all.
    public func keepingAttributes(where keep: (AttributeView) throws -> Bool) rethrows -> Entry {
        let keepsAll = try storage.withUnsafeBytes { raw in
            var all = true
            try EntryLayout(raw).forEach { slot in
                all = try keep(AttributeView(name: slot.name, values: slot.values))
                return all
            }
            return all
        }
        guard !keepsAll else { return self }
        let kept = try storage.withUnsafeBytes { raw in
            try EntryLayout(raw).encode { try keep(AttributeView(name: $0.name, values: $0.values)) }
        }
        return Entry(dn: dn, storage: kept)
    }

    /// One attribute read in place: its name's bytes and its values. Valid only inside the call that gave it.
    public struct AttributeView {
        /// The name as the server spelled it (ASCII).
        public let name: UnsafeRawBufferPointer
        public let values: Values

        /// Whether the attribute is called `other`, without regard to case.
        public func isNamed(_ other: String) -> Bool {
            EntryLayout.withBytes(of: other) { EntryLayout.sameName(name, $0) }
        }

        /// The name as a String.
        public var nameString: String { EntryLayout.string(name) }
    }

    /// The values of one attribute, each a buffer over its bytes in the entry (valid only inside the call
    /// that gave them). Indices are byte offsets.
    public struct Values: Collection {
        /// The values' lengths and bytes, one after another.
        let raw: UnsafeRawBufferPointer
        public let count: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { raw.count }
        public var isEmpty: Bool { count == 0 }

        public subscript(position: Int) -> UnsafeRawBufferPointer {
            var start = position
            let length = Varint.read(raw, at: &start)
            return UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
        }

        public func index(after position: Int) -> Int {
            var start = position
            let length = Varint.read(raw, at: &start)
            return start + length
        }

        /// The first value decoded as UTF-8.
        public var firstString: String? { first.map(EntryLayout.string) }

        /// Each value decoded as UTF-8.
        public var strings: [String] { map(EntryLayout.string) }
    }
}
