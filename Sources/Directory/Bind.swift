import CLDAP

extension LDAPConnection {
    /// Simple bind (RFC 4513 §5.1.3). The password comes in as a value, never from the command line;
    /// an empty password is refused here because servers treat it as an unauthenticated bind, which
    /// "succeeds" without proving anything.
    public func bind(dn: String, password: Secret) async throws {
        guard !password.bytes.isEmpty else {
            throw LDAPError(
                operation: "bind", code: .inappropriateAuthentication,
                diagnosticMessage: "empty password refused (it would be an unauthenticated bind)", dn: dn)
        }
        try await withHandle("bind") { ld in
            let memory = CAllocations()
            let credentials = memory.berval(password.bytes)
            // LDAP_SASL_SIMPLE is ((char*)0), which Swift cannot import: nil is the same.
            let rc = ldap_sasl_bind_s(ld, dn, nil, credentials, nil, nil, nil)
            guard rc == LDAP_SUCCESS else { throw self.lastError(ld, operation: "bind", code: rc, dn: dn) }
        }
    }
}
