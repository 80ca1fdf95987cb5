import CLDAP

/// A NULL-terminated array of server controls, as libldap takes them.
typealias ServerControls = UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?

/// Any single write, as a plain value, so a batch can hold a mix of them.
public enum WriteOperation: Sendable, Hashable {
    case add(AddRequest)
    case modify(ModifyRequest)
    case delete(DeleteRequest)
    case rename(RenameRequest)
    case passwordModify(PasswordModifyRequest)

    /// The entry written to (for a rename, the old DN).
    public var dn: String {
        switch self {
        case .add(let request): request.dn
        case .modify(let request): request.dn
        case .delete(let request): request.dn
        case .rename(let request): request.dn
        case .passwordModify(let request): request.userDN ?? ""
        }
    }

    /// Every DN this operation touches: for a rename both the old and the new one.
    var touchedDNs: [String] {
        if case .rename(let request) = self { return [request.dn, request.newDN] }
        return [dn]
    }

    /// The operation's name in messages: `add`, `modify`, …
    public var name: String {
        switch self {
        case .add: "add"
        case .modify: "modify"
        case .delete: "delete"
        case .rename: "rename"
        case .passwordModify: "password modify"
        }
    }

    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        switch self {
        case .add(let request): request.send(ld, &messageID, controls: controls)
        case .modify(let request): request.send(ld, &messageID, controls: controls)
        case .delete(let request): request.send(ld, &messageID, controls: controls)
        case .rename(let request): request.send(ld, &messageID, controls: controls)
        case .passwordModify(let request): request.send(ld, &messageID, controls: controls)
        }
    }
}

extension LDAPConnection {
    /// Performs one write of any kind.
    public func perform(_ operation: WriteOperation) async throws {
        try await withHandle(operation.name) { ld in
            try self.perform(ld, operation: operation.name, dn: operation.dn, send: operation.send)
        }
    }
}
