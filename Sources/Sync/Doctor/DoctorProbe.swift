import Directory
import Foundation
import Reconcile

/// `doctor --probe`: two throwaway parents under `parents_base`, pending. The first is locked, to show that
/// the lock refuses its bind; then unlocked, to bind as it and see what a parent can read: the second
/// parent's entry (a separated parent must not look up the other's e-mail or mobile) and the role group's
/// members. Both are removed again, whatever happened.
struct DoctorProbe {
    var config: Config
    var connection: LDAPConnection

    func run(into report: inout DoctorReport) async throws {
        guard let base = try? DistinguishedName(parsing: config.directory.parentsBase) else {
            report.problem("directory.parents_base \(config.directory.parentsBase) is not a DN", fix: "correct directory.parents_base")
            return
        }
        let tag = UInt32.random(in: 0...UInt32.max)
        let prober = DistinguishedName(type: "uid", value: "ldap-sync-probe-\(tag)", under: base).description
        let other = DistinguishedName(type: "uid", value: "ldap-sync-probe-\(tag)-other", under: base).description
        var added: [String] = []
        var joinedGroup = false
        do {
            try await add(other, mail: "probe-other-\(tag)@example.invalid")
            added.append(other)
            try await add(prober, mail: nil)
            added.append(prober)
            let password = Secret(PasswordGenerator().make())
            _ = try await connection.modifyPassword(PasswordModifyRequest(userDN: prober, newPassword: password))
            // A password set by the sync may be flagged for change at first login, and ppolicy then allows
            // the session nothing but a password change: the probe would read nothing and prove nothing.
            try? await connection.modify(ModifyRequest(dn: prober, modifications: [Modification(.delete, "pwdReset", [])]))
            // Locked after the password: ppolicy clears the lock when a password is set.
            try await connection.modify(ModifyRequest(dn: prober, modifications: [
                Modification(.replace, ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock]),
            ]))
            await checkLockRefuses(prober, password, into: &report)
            try await connection.modify(ModifyRequest(dn: prober, modifications: [
                Modification(.delete, ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock]),
                Modification(.replace, ParentAttribute.misAccountStatus, [AccountStatus.active.rawValue]),
            ]))
            joinedGroup = try await joinGroup(prober)
            if let asParent = await bindAsParent(prober, password, into: &report) {
                await checkReads(asParent, prober: prober, other: other, into: &report)
                await asParent.close()
            }
        } catch {
            report.problem("the probe could not set up its throwaway parents: \(error)", fix: "give the bind DN manage access under parents_base (see schema/README.md), or run doctor without --probe")
        }
        if joinedGroup, let group = config.directory.parentGroup {
            try? await connection.modify(ModifyRequest(dn: group, modifications: [Modification(.delete, ParentAttribute.member, [prober])]))
        }
        var left: [String] = []
        for dn in added.reversed() {
            do { try await connection.delete(DeleteRequest(dn: dn)) } catch { left.append(dn) }
        }
        if left.isEmpty {
            if !added.isEmpty { report.note("the probe's throwaway parents were removed") }
        } else {
            report.problem("the probe could not remove \(left.joined(separator: "; "))", fix: "delete them by hand with ldapdelete")
        }
    }

    private func add(_ dn: String, mail: String?) async throws {
        let uid = (try? DistinguishedName(parsing: dn))?.leafValue ?? dn
        var attributes = [
            Attribute(ParentAttribute.objectClass, ParentAttribute.objectClasses), Attribute(ParentAttribute.uid, [uid]),
            Attribute(ParentAttribute.cn, [uid]), Attribute(ParentAttribute.sn, ["probe"]), Attribute(ParentAttribute.misParentId, [uid]),
            Attribute(ParentAttribute.misRole, [ParentAttribute.parentRole]),
            Attribute(ParentAttribute.misAccountStatus, [AccountStatus.pending.rawValue]),
        ]
        if let mail { attributes.append(Attribute(ParentAttribute.mail, [mail])) }
        try await connection.add(AddRequest(dn: dn, attributes: attributes))
    }

    private func checkLockRefuses(_ dn: String, _ password: Secret, into report: inout DoctorReport) async {
        do {
            let asParent = try await LDAPConnection.connect(connection.options)
            do {
                try await asParent.bind(dn: dn, password: password)
                report.problem(
                    "a locked parent can still bind with the right password: disabling would not stop a login",
                    fix: "load the ppolicy overlay with ppolicy_default naming a policy with pwdLockout: TRUE (schema/README.md, ppolicy)")
            } catch let error as LDAPError where error.code == .invalidCredentials {
                report.ok("the lock (pwdAccountLockedTime: \(ParentAttribute.permanentLock)) refuses a locked parent's bind with the right password")
            }
            await asParent.close()
        } catch {
            report.problem("could not try a locked parent's bind: \(error)", fix: "check that the directory accepts simple binds at \(config.directory.url)")
        }
    }

    /// Puts the prober in the role group for the probe, so there are members to read; false when there is no group.
    private func joinGroup(_ dn: String) async throws -> Bool {
        guard let group = config.directory.parentGroup else { return false }
        do {
            try await connection.modify(ModifyRequest(dn: group, modifications: [Modification(.add, ParentAttribute.member, [dn])]))
            return true
        } catch let error as LDAPError where error.code == .noSuchObject {
            return false
        }
    }

    private func bindAsParent(_ dn: String, _ password: Secret, into report: inout DoctorReport) async -> LDAPConnection? {
        do {
            let asParent = try await LDAPConnection.connect(connection.options)
            do {
                try await asParent.bind(dn: dn, password: password)
            } catch {
                await asParent.close()
                throw error
            }
            report.ok("an unlocked parent binds with their password")
            return asParent
        } catch {
            report.problem(
                "an unlocked probe parent cannot bind with their password: \(error)",
                fix: "allow `by anonymous auth` on userPassword under parents_base (schema/README.md, access rules)")
            return nil
        }
    }

    /// What the prober reads beyond its own entry.
    private func checkReads(_ asParent: LDAPConnection, prober: String, other: String, into report: inout DoctorReport) async {
        let own = DistinguishedName.comparisonKey(of: prober)
        var readable = Set<String>()
        let subtree = SearchRequest(
            base: config.directory.parentsBase, rawFilter: "(objectClass=*)",
            attributes: [ParentAttribute.uid, ParentAttribute.mail, ParentAttribute.mobile], pageSize: 0)
        if let entries = try? await asParent.searchAll(subtree) {
            for entry in entries where DistinguishedName.comparisonKey(of: entry.dn) != own && !entry.attributes.isEmpty {
                readable.insert(entry.dn)
            }
        }
        let direct = SearchRequest(base: other, scope: .base, rawFilter: "(objectClass=*)", attributes: [ParentAttribute.uid, ParentAttribute.mail], pageSize: 0)
        if let entry = try? await asParent.searchAll(direct).first, !entry.attributes.isEmpty { readable.insert(entry.dn) }
        let parentsKey = DistinguishedName.comparisonKey(of: config.directory.parentsBase)
        let others = readable.filter { DistinguishedName.comparisonKey(of: $0) != parentsKey }
        if others.isEmpty {
            report.ok("a parent bound as themselves cannot read another parent's entry")
        } else {
            report.warn(
                "a parent bound as themselves can read \(others.count) other entr\(others.count == 1 ? "y" : "ies") under \(config.directory.parentsBase) (uid, mail, mobile): a separated parent could look up the other's details",
                fix: "load the access rules of schema/README.md, under which a parent reads only their own entry")
        }
        guard let group = config.directory.parentGroup else { return }
        let request = SearchRequest(base: group, scope: .base, rawFilter: "(objectClass=*)", attributes: [ParentAttribute.member], pageSize: 0)
        let members = ((try? await asParent.searchAll(request))?.first?.strings(ParentAttribute.member)) ?? []
        if members.isEmpty {
            report.ok("a parent bound as themselves cannot read the role group's members")
        } else {
            report.warn(
                "a parent bound as themselves can read the role group's members (\(members.count) DNs): every parent's username is listed there",
                fix: "load the access rules of schema/README.md, which give the group's members to the sync and the VLE's reader only")
        }
    }
}
