/// The tree every test server starts with: the suffix, the four branches ldap-sync knows about, the
/// sync's own service entry, and the default password policy that makes a lock a lock.
enum BaseEntries {
    static let ldif = """
        dn: \(DirectoryNames.suffix)
        objectClass: dcObject
        objectClass: organization
        dc: example
        o: Example

        \(branch(DirectoryNames.parentsBase, "Parents"))
        \(branch(DirectoryNames.pupilsBase, "Pupils"))
        \(branch(DirectoryNames.groupsBase, "Groups"))
        \(branch(DirectoryNames.servicesBase, "Services"))
        dn: \(DirectoryNames.syncDN)
        objectClass: applicationProcess
        objectClass: simpleSecurityObject
        cn: ldap-sync
        userPassword: \(DirectoryNames.syncPassword)

        \(branch(DirectoryNames.policiesBase, "policies"))
        # ppolicy ignores pwdAccountLockedTime unless the policy that applies has pwdLockout TRUE.
        # pwdMaxFailure 0: failed binds never lock anyone, so a test's wrong password stays harmless.
        dn: \(DirectoryNames.defaultPolicyDN)
        objectClass: applicationProcess
        objectClass: pwdPolicy
        cn: default
        pwdAttribute: userPassword
        pwdLockout: TRUE
        pwdMaxFailure: 0
        pwdMustChange: TRUE
        pwdAllowUserChange: TRUE

        """

    private static func branch(_ dn: String, _ name: String) -> String {
        """
        dn: \(dn)
        objectClass: organizationalUnit
        ou: \(name)

        """
    }
}
