import CLDAP

/// The Password Modify extended operation (RFC 3062): the server hashes the new password with its own
/// scheme and applies its password policy (history, quality, `pwdReset` after an administrator's reset).
public struct PasswordModifyRequest: Sendable, Hashable {
    /// The entry whose password changes; nil means the bound user.
    public var userDN: String?
    /// The current password, when a user changes their own.
    public var oldPassword: Secret?
    /// The new password; nil asks the server to generate one.
    public var newPassword: Secret?

    public init(userDN: String?, oldPassword: Secret? = nil, newPassword: Secret?) {
        self.userDN = userDN
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }

    func send(_ ld: OpaquePointer, _ messageID: inout Int32, controls: ServerControls = nil) -> Int32 {
        let memory = CAllocations()
        let user = userDN.map { memory.berval(Array($0.utf8)) }
        let old = oldPassword.map { memory.berval($0.bytes) }
        let new = newPassword.map { memory.berval($0.bytes) }
        return ldap_passwd(ld, user, old, new, controls, nil, &messageID)
    }
}

extension LDAPConnection {
    /// Sets a password with the Password Modify operation. Returns the password the server generated when
    /// the request asked for one, else nil.
    @discardableResult
    public func modifyPassword(_ request: PasswordModifyRequest) async throws -> Secret? {
        try await withHandle("password modify") { ld in
            let dn = request.userDN
            var messageID: Int32 = 0
            let rc = request.send(ld, &messageID)
            guard rc == LDAP_SUCCESS else { throw self.lastError(ld, operation: "password modify", code: rc, dn: dn) }
            let message = try self.awaitResult(ld, messageID: messageID, operation: "password modify", dn: dn)
            defer { ldap_msgfree(message) }
            let result = self.parseResult(ld, message, free: false)
            guard result.code == .success else {
                throw LDAPError(operation: "password modify", code: result.code, diagnosticMessage: result.message, dn: dn)
            }
            guard request.newPassword == nil else { return nil }
            var generated = berval(bv_len: 0, bv_val: nil)
            guard ldap_parse_passwd(ld, message, &generated) == LDAP_SUCCESS, generated.bv_val != nil else { return nil }
            defer { ber_memfree(generated.bv_val) }
            return Secret(bytes: withUnsafeMutablePointer(to: &generated) { bytes(of: $0) })
        }
    }
}
