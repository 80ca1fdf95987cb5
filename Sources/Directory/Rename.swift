import CLDAP

/// A modify DN request (RFC 4511 §4.9): a new RDN, and optionally a new parent.
public struct RenameRequest: Sendable, Hashable {
    public var dn: String
    /// The new RDN in string form, already escaped (`uid=ann.smith`); build it with `DistinguishedName`.
    public var newRDN: String
    /// The new parent, or nil to stay under the same one.
    public var newSuperior: String?
    /// Remove the old RDN's value from the entry (the usual choice).
    public var deleteOldRDN: Bool

    public init(dn: String, newRDN: String, newSuperior: String? = nil, deleteOldRDN: Bool = true) {
        self.dn = dn
        self.newRDN = newRDN
        self.newSuperior = newSuperior
        self.deleteOldRDN = deleteOldRDN
    }

    /// The DN the entry has after the rename.
    public var newDN: String {
        let parent = newSuperior ?? (try? DistinguishedName(parsing: dn))?.parent?.description ?? ""
        return parent.isEmpty ? newRDN : "\(newRDN),\(parent)"
    }

    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        ldap_rename(ld, dn, newRDN, newSuperior, deleteOldRDN ? 1 : 0, controls, nil, &messageID)
    }
}

extension LDAPConnection {
    /// Renames (or moves) one entry; throws `LDAPError` naming the old DN.
    public func rename(_ request: RenameRequest) async throws {
        try await withHandle("rename") { ld in
            try self.perform(ld, operation: "rename", dn: request.dn, send: request.send)
        }
    }
}
