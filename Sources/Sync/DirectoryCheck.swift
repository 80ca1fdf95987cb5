import Directory
import Foundation
import Reconcile

/// The directory part of `ldap-sync check`: can the sync bind, is the schema loaded, do the bases exist,
/// may it write where it must, and does a lock really stop a login. Each problem is one line with its fix.
public struct DirectoryCheck: Sendable {
    /// One finding: what was checked, whether it is fine, and if not what to do.
    public struct Finding: Sendable {
        public var ok: Bool
        public var what: String
        public var fix: String?
    }

    public var findings: [Finding] = []

    /// True when every check passed.
    public var allWell: Bool { findings.allSatisfy(\.ok) }

    public var text: String {
        findings.map { finding in
            finding.ok ? "ok       \(finding.what)" : "PROBLEM  \(finding.what)" + (finding.fix.map { "\n         fix: \($0)" } ?? "")
        }.joined(separator: "\n")
    }

    /// Runs every check. Writes nothing but a probe entry under `parents_base`, removed again at once.
    public static func run(config: Config) async -> DirectoryCheck {
        var check = DirectoryCheck()
        let settings = config.directory
        let connection: LDAPConnection
        do {
            connection = try await DirectorySession.open(config)
            check.pass("connected to \(settings.url) and bound as \(settings.bindDN ?? "anonymous")")
        } catch {
            check.fail("cannot connect or bind: \(error)", fix: "check directory.url, directory.bind_dn and the bind password (file, LDAP_SYNC_BIND_PASSWORD or systemd credential)")
            return check
        }
        await check.schema(connection)
        await check.base(settings.parentsBase, key: "directory.parents_base", connection)
        if let pupils = settings.pupilsBase { await check.base(pupils, key: "directory.pupils_base", connection) }
        if let group = settings.parentGroup { await check.group(group, connection) }
        if settings.incrementalRead { await check.incrementalRead(settings.parentsBase, connection) }
        if check.allWell { await check.probe(config, connection) }
        await connection.close()
        return check
    }

    private mutating func pass(_ what: String) { findings.append(Finding(ok: true, what: what, fix: nil)) }
    private mutating func fail(_ what: String, fix: String) { findings.append(Finding(ok: false, what: what, fix: fix)) }

    private mutating func schema(_ connection: LDAPConnection) async {
        do {
            let subschema = try await connection.searchAll(SearchRequest(
                base: "cn=Subschema", scope: .base, filter: .equal("objectClass", "subschema"), attributes: ["objectClasses"], pageSize: 0))
            let known = subschema.first?.strings("objectClasses").contains { $0.contains("'misParent'") } ?? false
            if known {
                pass("the misParent schema is loaded")
            } else {
                fail("the server does not know the misParent object class", fix: "load schema/ldap-sync.schema (slapd.conf) or schema/ldap-sync.ldif (cn=config); `ldap-sync schema` prints them")
            }
        } catch {
            fail("cannot read the server's schema: \(error)", fix: "allow the bind DN to read cn=Subschema")
        }
    }

    private mutating func base(_ dn: String, key: String, _ connection: LDAPConnection) async {
        do {
            _ = try await connection.searchAll(SearchRequest(base: dn, scope: .base, filter: .present("objectClass"), attributes: ["1.1"], pageSize: 0))
            pass("\(key) \(dn) exists and is readable")
        } catch let error as LDAPError where error.code == .noSuchObject {
            fail("\(key) \(dn) does not exist (or the bind DN may not see it)", fix: "create it, or correct \(key)")
        } catch {
            fail("cannot read \(key) \(dn): \(error)", fix: "give the bind DN read access there")
        }
    }

    /// With `incremental_read`, a run believes its copy of every entry whose `entryCSN` is unchanged: a
    /// server that leaves it as it was on a write (slapd's `lastmod off`) would hide changes made by hand.
    private mutating func changedCSN(_ dn: String, since added: String, _ connection: LDAPConnection) async {
        if let now = await Self.entryCSN(dn, connection), now != added {
            pass("a write to an entry changes its entryCSN, so the incremental read sees every change")
        } else {
            fail("a write to the probe entry left its entryCSN as it was (lastmod off?): runs reading only what changed would miss changes made by hand",
                fix: "set directory.incremental_read: false, or turn lastmod on for the database")
        }
    }

    private static func entryCSN(_ dn: String, _ connection: LDAPConnection) async -> String? {
        let entry = try? await connection.searchAll(
            SearchRequest(base: dn, scope: .base, filter: .present("objectClass"), attributes: ["entryCSN"], pageSize: 0)).first
        return entry?.string("entryCSN")
    }

    /// Whether runs can read only what changed (`directory.incremental_read`): the bind DN must be given
    /// `entryCSN`. Either way the runs work; without it each reads every entry, so this never fails.
    private mutating func incrementalRead(_ dn: String, _ connection: LDAPConnection) async {
        if await Self.entryCSN(dn, connection) != nil {
            pass("directory.incremental_read: the bind DN is given entryCSN, so a run reads from the server only the entries changed since the last (the rest from state_dir/\(EntryCacheFile.name))")
        } else {
            pass("directory.incremental_read: the server gives the bind DN no entryCSN (not OpenLDAP, or its access does not allow it), so every run reads every entry")
        }
    }

    private mutating func group(_ dn: String, _ connection: LDAPConnection) async {
        do {
            let entries = try await connection.searchAll(SearchRequest(base: dn, scope: .base, filter: .present("objectClass"), attributes: ["objectClass"], pageSize: 0))
            let classes = entries.first?.strings("objectClass").map { $0.lowercased() } ?? []
            if classes.contains("groupofnames") {
                pass("directory.parent_group \(dn) is a groupOfNames")
            } else {
                fail("directory.parent_group \(dn) is not a groupOfNames", fix: "point parent_group at a groupOfNames, or at a name that does not exist yet (ldap-sync creates it)")
            }
        } catch let error as LDAPError where error.code == .noSuchObject {
            let parent = (try? DistinguishedName(parsing: dn))?.parent?.description ?? ""
            pass("directory.parent_group \(dn) does not exist yet: the first apply creates it under \(parent)")
            await base(parent, key: "the role group's parent", connection)
        } catch {
            fail("cannot read directory.parent_group \(dn): \(error)", fix: "give the bind DN read and write access to the group")
        }
    }

    /// Adds a probe parent, sets its password, binds as it, locks it and checks the bind is refused, then
    /// deletes it: the only way to know that writes are allowed and that a disable really stops a login.
    private mutating func probe(_ config: Config, _ connection: LDAPConnection) async {
        let uid = "ldap-sync-check-\(UInt32.random(in: 0...UInt32.max))"
        guard let parents = try? DistinguishedName(parsing: config.directory.parentsBase) else { return }
        let dn = DistinguishedName(type: "uid", value: uid, under: parents).description
        let password = Secret(PasswordGenerator().make())
        do {
            try await connection.add(AddRequest(dn: dn, attributes: [
                Attribute("objectClass", ["inetOrgPerson", "misParent"]), Attribute("uid", [uid]), Attribute("cn", [uid]),
                Attribute("sn", ["check"]), Attribute("misParentId", [uid]), Attribute("misAccountStatus", ["pending"]),
            ]))
        } catch {
            fail("the bind DN cannot add entries under \(config.directory.parentsBase): \(error)", fix: "grant the bind DN write (or manage) access to that subtree")
            return
        }
        let addedCSN = await Self.entryCSN(dn, connection)
        do {
            try await connection.modifyPassword(PasswordModifyRequest(userDN: dn, newPassword: password))
            let asParent = try await LDAPConnection.connect(connection.options)
            try await asParent.bind(dn: dn, password: password)
            await asParent.close()
            pass("the bind DN can create a parent and set its password (probe entry added and removed)")
        } catch {
            fail("a probe parent could not get a working password: \(error)", fix: "allow the bind DN to set userPassword (manage, or the Password Modify operation) under parents_base")
            try? await connection.delete(DeleteRequest(dn: dn))
            return
        }
        do {
            try await connection.modify(ModifyRequest(dn: dn, modifications: [Modification(.replace, ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock])]))
            let asParent = try await LDAPConnection.connect(connection.options)
            do {
                try await asParent.bind(dn: dn, password: password)
                fail("a locked account can still log in: disabling would not stop anyone", fix: "load the ppolicy overlay with ppolicy_default naming a policy that has pwdLockout: TRUE")
            } catch let error as LDAPError where error.code == .invalidCredentials {
                pass("a disabled (locked) account cannot log in")
            }
            await asParent.close()
            if config.directory.incrementalRead, let addedCSN { await changedCSN(dn, since: addedCSN, connection) }
        } catch {
            fail("cannot lock an account: \(error)", fix: "allow the bind DN to write pwdAccountLockedTime (manage access) under parents_base")
        }
        try? await connection.delete(DeleteRequest(dn: dn))
    }
}
