import CLDAP

/// An add request (RFC 4511 §4.7): a new entry with its attributes.
public struct AddRequest: Sendable, Hashable {
    public var dn: String
    public var attributes: [Attribute]

    public init(dn: String, attributes: [Attribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// Sends the request; the caller waits for the result by message id.
    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        let memory = CAllocations()
        let mods = memory.modArray(attributes.map { (LDAP_MOD_ADD, $0.name, $0.values) })
        return ldap_add_ext(ld, dn, mods, controls, nil, &messageID)
    }
}

extension LDAPConnection {
    /// Adds one entry; throws `LDAPError` (e.g. `entryAlreadyExists`) naming the DN.
    public func add(_ request: AddRequest) async throws {
        try await withHandle("add") { ld in
            try self.perform(ld, operation: "add", dn: request.dn, send: request.send)
        }
    }
}
