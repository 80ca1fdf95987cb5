import Foundation

/// The slapd.conf of one test server (slapd.conf(5), slapd-mdb(5), slapo-ppolicy(5)).
///
/// slapd.conf rather than cn=config: it is one file, written before start, and tests never change
/// the configuration of a running server.
struct SlapdConfiguration {
    var folder: URL
    var schemaFile: URL
    var fsync: Bool
    var certificates: TestCertificates?
    /// Replaces the harness's access rules when set (`SlapdOptions.accessRules`).
    var accessRules: String? = nil
    /// More directives for the database (`SlapdOptions.databaseDirectives`).
    var databaseDirectives: String = ""

    var pidFile: URL { folder.appendingPathComponent("slapd.pid") }
    var databaseFolder: URL { folder.appendingPathComponent("db") }

    var text: String {
        let names = DirectoryNames.self
        let sync = "dn.exact=\"\(names.syncDN)\""
        return """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include /etc/ldap/schema/nis.schema
            include "\(schemaFile.path)"
            # slapd 2.5's ppolicy module carries its own schema: there is no ppolicy.schema to include.

            pidfile "\(pidFile.path)"
            argsfile "\(folder.appendingPathComponent("slapd.args").path)"
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload ppolicy
            \(tlsDirectives)
            database mdb
            suffix "\(names.suffix)"
            rootdn "\(names.adminDN)"
            rootpw "\(names.adminPassword)"
            directory "\(databaseFolder.path)"
            # mdb maps its whole maximum size: 2 GiB leaves room for benchmarks of 100k entries.
            maxsize 2147483648
            \(fsync ? "# fsync on every commit, like production" : "dbnosync")
            \(databaseDirectives)

            index objectClass eq
            index uid eq
            index misParentId,misContactRef,misChildRef,misChild,misAccountStatus eq
            index member eq

            # The rootdn is not exempt from the default sizelimit of 500.
            limits dn.exact="\(names.adminDN)" size=unlimited time=unlimited
            # What a production admin gives the sync: paged searches of any size, but an unpaged
            # search still stops at 500, so a client that forgets to page fails here as it would there.
            limits \(sync) size.prtotal=unlimited

            overlay ppolicy
            ppolicy_default "\(names.defaultPolicyDN)"
            # Binds of a locked account answer "Account locked" in the response control.
            ppolicy_use_lockout
            # A cleartext userPassword written by add or modify is stored hashed.
            ppolicy_hash_cleartext

            \(accessRules ?? Self.harnessAccessRules)

            """
    }

    /// The harness's own rules: the sync gets only what it needs, everyone else reads only themselves.
    static var harnessAccessRules: String {
        let names = DirectoryNames.self
        let sync = "dn.exact=\"\(names.syncDN)\""
        return """
            # The sync gets only what it needs: manage (which covers ppolicy's lock attributes and
            # resetting passwords) under ou=Parents, write on the role group, read elsewhere.
            # The first "to" that matches wins, so the narrow rules come first.
            access to dn.subtree="\(names.parentsBase)" attrs=userPassword
                by \(sync) manage
                by self write
                by anonymous auth
                by * none
            access to attrs=userPassword
                by self write
                by anonymous auth
                by * none
            access to dn.subtree="\(names.parentsBase)"
                by \(sync) manage
                by self read
                by * none
            access to dn.subtree="\(names.groupsBase)"
                by \(sync) write
                by self read
                by * none
            access to *
                by \(sync) read
                by self read
                by * none
            """
    }

    private var tlsDirectives: String {
        guard let certificates else { return "" }
        return """
            TLSCACertificateFile "\(certificates.caFile.path)"
            TLSCertificateFile "\(certificates.serverCertificateFile.path)"
            TLSCertificateKeyFile "\(certificates.serverKeyFile.path)"

            """
    }
}
