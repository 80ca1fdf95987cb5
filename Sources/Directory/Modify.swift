import CLDAP

/// One change within a modify request.
public struct Modification: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Add these values (the attribute is created if absent).
        case add
        /// Delete these values, or the whole attribute when no values are given.
        case delete
        /// Replace all values with these; no values removes the attribute.
        case replace
    }

    public var kind: Kind
    public var attribute: String
    public var values: [[UInt8]]

    public init(_ kind: Kind, _ attribute: String, values: [[UInt8]]) {
        self.kind = kind
        self.attribute = attribute
        self.values = values
    }

    public init(_ kind: Kind, _ attribute: String, _ strings: [String]) {
        self.init(kind, attribute, values: strings.map { Array($0.utf8) })
    }

    var libldapOperation: Int32 {
        switch kind {
        case .add: LDAP_MOD_ADD
        case .delete: LDAP_MOD_DELETE
        case .replace: LDAP_MOD_REPLACE
        }
    }
}

/// A modify request (RFC 4511 §4.6): changes applied to one entry atomically, in order.
public struct ModifyRequest: Sendable, Hashable {
    public var dn: String
    public var modifications: [Modification]

    public init(dn: String, modifications: [Modification]) {
        self.dn = dn
        self.modifications = modifications
    }

    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        let memory = CAllocations()
        let mods = memory.modArray(modifications.map { ($0.libldapOperation, $0.attribute, $0.values) })
        return ldap_modify_ext(ld, dn, mods, controls, nil, &messageID)
    }
}

extension LDAPConnection {
    /// Modifies one entry; throws `LDAPError` naming the DN.
    public func modify(_ request: ModifyRequest) async throws {
        try await withHandle("modify") { ld in
            try self.perform(ld, operation: "modify", dn: request.dn, send: request.send)
        }
    }
}
