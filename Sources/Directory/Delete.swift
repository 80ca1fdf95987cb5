import CLDAP

/// A delete request (RFC 4511 §4.8) for one leaf entry.
public struct DeleteRequest: Sendable, Hashable {
    public var dn: String

    public init(dn: String) { self.dn = dn }

    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        ldap_delete_ext(ld, dn, controls, nil, &messageID)
    }
}

extension LDAPConnection {
    /// Deletes one entry; throws `LDAPError` (e.g. `noSuchObject`, `notAllowedOnNonLeaf`) naming the DN.
    public func delete(_ request: DeleteRequest) async throws {
        try await withHandle("delete") { ld in
            try self.perform(ld, operation: "delete", dn: request.dn, send: request.send)
        }
    }
}
