import Directory
import Foundation
import Reconcile

/// `ldap-sync doctor`: the directory as a VLE's login uses it. Every active parent must be found exactly
/// once by the VLE's lookup and be in the role group; every disabled or pending parent must be either not
/// found or locked. With `probe`, a throwaway parent shows that the lock refuses its bind and what a
/// parent bound as themselves can read.
public struct Doctor: Sendable {
    public var config: Config
    public var lookup: VLELookup
    /// `--vle moodle`.
    public var vle: String?
    /// `--probe`.
    public var probe: Bool

    /// - Parameters:
    ///   - contexts: `DN;DN`; the config's `parents_base` when nil.
    ///   - objectClass: the lookup's object-class filter; the Moodle example's when nil.
    public init(config: Config, contexts: String? = nil, objectClass: String? = nil, searchSubtree: Bool = false, vle: String? = nil, probe: Bool = false) {
        self.config = config
        self.lookup = VLELookup(contexts: contexts ?? config.directory.parentsBase, objectClass: objectClass, searchSubtree: searchSubtree)
        self.vle = vle
        self.probe = probe
    }

    /// Runs every check. Writes nothing unless `probe`, whose entries are removed again before it returns.
    public func run() async throws -> DoctorReport {
        var report = DoctorReport()
        if let vle { report.note(Self.vleNote(vle, config: config)) }
        let connection = try await DirectorySession.open(config)
        do {
            try await checks(connection, into: &report)
            await connection.close()
            if vle == "moodle", config.vle.moodle != nil { Self.add(await MoodleDoctor.check(config), to: &report) }
        } catch {
            await connection.close()
            throw error
        }
        return report
    }

    private func checks(_ connection: LDAPConnection, into report: inout DoctorReport) async throws {
        report.note("the lookup: \(lookup.searchSubtree ? "subtree" : "one level") under \(lookup.contexts.joined(separator: "; ")) with \(lookup.filter(for: "NAME")), as \(config.directory.bindDN ?? "anonymous")")
        do {
            try await checkParents(connection, into: &report)
        } catch let error as LDAPError where error.code == .filterError {
            report.problem("the object-class filter \(lookup.objectClassFilter) is not a valid LDAP filter: \(error)", fix: "give --objectclass a filter such as \(VLELookup.moodleExampleFilter)")
        } catch let error as LDAPError where error.code == .noSuchObject {
            report.problem("a context does not exist: \(error)", fix: "give --contexts DNs that exist (Moodle's contexts setting)")
        }
        if probe {
            try await DoctorProbe(config: config, connection: connection).run(into: &report)
        }
    }

    /// The web-service checks of `MoodleDoctor`, as doctor's findings.
    static func add(_ moodle: MoodleDoctor.Report, to report: inout DoctorReport) {
        for finding in moodle.findings {
            if finding.ok {
                report.ok("moodle \(finding.check): \(finding.detail)")
            } else {
                report.problem("moodle \(finding.check): \(finding.detail)", fix: "see examples/moodle/README.md, \"Telling Moodle at once\"")
            }
        }
    }

    static func vleNote(_ vle: String, config: Config) -> String {
        guard vle == "moodle", config.vle.moodle != nil else {
            return "no VLE configured (vle.\(vle) is absent from the config): checked the directory as auth_ldap uses it, nothing else"
        }
        return "vle.moodle is configured: the directory as auth_ldap sees it, then Moodle's web services (token, functions, parent role)"
    }

    private func checkParents(_ connection: LDAPConnection, into report: inout DoctorReport) async throws {
        let found = try await lookup.findAll(connection)
        let parents = try await connection.searchAll(SearchRequest(
            base: config.directory.parentsBase, rawFilter: "(objectClass=misParent)",
            attributes: [ParentAttribute.uid, ParentAttribute.misAccountStatus, ParentAttribute.pwdAccountLockedTime], pageSize: 1_000))
        let members = try await groupMembers(connection)
        var activeFine = 0
        var inactiveFine = 0
        for parent in parents.sorted(by: { ($0.string(ParentAttribute.uid) ?? "") < ($1.string(ParentAttribute.uid) ?? "") }) {
            let uid = parent.string(ParentAttribute.uid) ?? parent.dn
            let status = parent.string(ParentAttribute.misAccountStatus)?.lowercased() ?? "without a status"
            let locked = parent.strings(ParentAttribute.pwdAccountLockedTime).contains(ParentAttribute.permanentLock)
            let hits = found[uid.lowercased()] ?? []
            let member = members.map { $0.contains(DistinguishedName.comparisonKey(of: parent.dn)) }
            let before = report.problems.count
            if status == AccountStatus.active.rawValue {
                checkActive(uid: uid, dn: parent.dn, hits: hits, inGroup: member, locked: locked, into: &report)
                if report.problems.count == before { activeFine += 1 }
            } else {
                checkInactive(uid: uid, dn: parent.dn, status: status, hits: hits, inGroup: member, locked: locked, into: &report)
                if report.problems.count == before { inactiveFine += 1 }
            }
        }
        report.ok("\(activeFine) active parent\(activeFine == 1 ? "" : "s") found exactly once by the lookup" + (members == nil ? "" : " and in the role group"))
        report.ok("\(inactiveFine) disabled or pending parent\(inactiveFine == 1 ? "" : "s") not found by the lookup, or locked")
    }

    private func checkActive(uid: String, dn: String, hits: [String], inGroup: Bool?, locked: Bool, into report: inout DoctorReport) {
        let key = DistinguishedName.comparisonKey(of: dn)
        switch hits.count {
        case 0:
            report.problem(
                "\(uid) (active) is not found by the lookup: the VLE refuses their login",
                fix: "the entry \(dn) must lie in the contexts and match the object-class filter; correct the VLE's contexts or objectclass setting")
        case 1 where DistinguishedName.comparisonKey(of: hits[0]) != key:
            report.problem(
                "\(uid) (active) is found as \(hits[0]), not as their own entry \(dn): the VLE logs them in as someone else",
                fix: "remove or rename uid \(uid) on \(hits[0])")
        case 1:
            break
        default:
            let others = hits.filter { DistinguishedName.comparisonKey(of: $0) != key }
            report.problem(
                "\(uid) (active) is found \(hits.count) times (\(hits.joined(separator: "; "))): the VLE binds as whichever comes first",
                fix: "remove or rename uid \(uid) on \(others.joined(separator: "; ")) so that it is unique in the contexts")
        }
        if inGroup == false, let group = config.directory.parentGroup {
            report.problem(
                "\(uid) (active) is not in the role group \(group)",
                fix: "run `ldap-sync apply` (it puts every active parent in the group)")
        }
        if locked {
            report.problem("\(uid) (active) carries the disable lock: their login is refused", fix: "run `ldap-sync apply` (it removes the lock of an active parent)")
        }
    }

    private func checkInactive(uid: String, dn: String, status: String, hits: [String], inGroup: Bool?, locked: Bool, into report: inout DoctorReport) {
        if !hits.isEmpty, !locked {
            report.problem(
                "\(uid) (\(status)) is found by the lookup and carries no lock: they can still log in",
                fix: "run `ldap-sync apply` (it locks every disabled or pending parent with pwdAccountLockedTime: \(ParentAttribute.permanentLock)), and set the VLE's objectclass to \(VLELookup.moodleExampleFilter)")
        }
        if inGroup == true, status == AccountStatus.disabled.rawValue, let group = config.directory.parentGroup {
            report.problem(
                "\(uid) (disabled) is still in the role group \(group)",
                fix: "run `ldap-sync apply` (it removes disabled parents from the group)")
        }
    }

    /// The role group's members by comparison key; nil when no group is configured or it does not exist.
    private func groupMembers(_ connection: LDAPConnection) async throws -> Set<String>? {
        guard let group = config.directory.parentGroup else { return nil }
        do {
            let entry = try await connection.searchAll(SearchRequest(base: group, scope: .base, rawFilter: "(objectClass=*)", attributes: [ParentAttribute.member], pageSize: 0)).first
            return Set((entry?.strings(ParentAttribute.member) ?? []).map { DistinguishedName.comparisonKey(of: $0) })
        } catch let error as LDAPError where error.code == .noSuchObject {
            return []
        }
    }
}
