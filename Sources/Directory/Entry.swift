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
public struct Entry: Sendable, Hashable {
    public var dn: String
    public var attributes: [Attribute]

    public init(dn: String, attributes: [Attribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The attribute named `name`, matched without regard to case as LDAP attribute names are.
    public subscript(name: String) -> Attribute? {
        attributes.first { Self.sameName($0.name, name) }
    }

    /// Attribute names are ASCII (RFC 4512 `keystring`, or an OID): compared byte by byte, folding
    /// A–Z, without making lower-case copies (a run reads a dozen names from each of 100,000 entries).
    static func sameName(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let x?, let y?):
                if x != y && x | 0x20 != y | 0x20 { return false }
                if x != y && !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) { return false }
            default: return false
            }
        }
    }

    /// The string values of `name`, empty when the entry does not have it.
    public func strings(_ name: String) -> [String] { self[name]?.strings ?? [] }

    /// The first string value of `name`.
    public func string(_ name: String) -> String? { strings(name).first }
}
