import Directory
import SlapdHarness

/// A connection bound as the sync's own service account (not the rootdn), as ldap-sync runs.
func connectAsSync(_ server: SlapdServer, url: String? = nil) async throws -> LDAPConnection {
    let connection = try await LDAPConnection.connect(ConnectionOptions(url: url ?? server.ldapURL, operationTimeout: 30))
    try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))
    return connection
}

/// An inetOrgPerson + misParent entry under the parents base.
func parentEntry(_ server: SlapdServer, uid: String, extra: [Attribute] = []) -> AddRequest {
    AddRequest(
        dn: DistinguishedName(type: "uid", value: uid, under: try! DistinguishedName(parsing: server.parentsBase)).description,
        attributes: [
            Attribute("objectClass", ["inetOrgPerson", "misParent"]),
            Attribute("uid", [uid]),
            Attribute("cn", ["Parent \(uid)"]),
            Attribute("sn", ["Parent"]),
            Attribute("misParentId", ["id-\(uid)"]),
        ] + extra
    )
}
