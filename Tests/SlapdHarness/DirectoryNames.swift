/// The names in every test directory: DESIGN.md's defaults, so a config written for the docs works.
enum DirectoryNames {
    static let suffix = "dc=example,dc=org"
    static let adminDN = "cn=admin,\(suffix)"
    /// Test secrets on a loopback server that lives for one test; handed to tools through files.
    static let adminPassword = "admin-secret"
    static let syncDN = "cn=ldap-sync,ou=Services,\(suffix)"
    static let syncPassword = "sync-secret"
    static let parentsBase = "ou=Parents,\(suffix)"
    static let pupilsBase = "ou=Pupils,\(suffix)"
    static let groupsBase = "ou=Groups,\(suffix)"
    static let servicesBase = "ou=Services,\(suffix)"
    static let policiesBase = "ou=policies,\(suffix)"
    static let defaultPolicyDN = "cn=default,\(policiesBase)"
}
