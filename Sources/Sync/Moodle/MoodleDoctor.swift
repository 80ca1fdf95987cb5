import Foundation

/// `doctor --vle moodle`: can ldap-sync tell Moodle what it must? Checks the settings, the token
/// (`core_webservice_get_site_info`), the five functions of the token's external service, and that the
/// parent role assigns in a user context.
public enum MoodleDoctor {
    /// One check and what it found.
    public struct Finding: Sendable, Equatable, Codable {
        public var check: String
        public var ok: Bool
        public var detail: String
    }

    /// All findings, in order; the checks after one that cannot be passed are left out.
    public struct Report: Sendable, Equatable, Codable {
        public var findings: [Finding] = []
        /// `doctor` exits 1 when true.
        public var hasProblem: Bool { findings.contains { !$0.ok } }

        public var text: String {
            findings.map { "\($0.ok ? "ok  " : "FAIL") moodle \($0.check): \($0.detail)" }.joined(separator: "\n") + "\n"
        }
    }

    /// Runs the checks against the configured Moodle. The role check assigns the parent role where it
    /// changes nothing: again for a pair already assigned (Moodle ignores an assignment that exists), or,
    /// when none is, to the web-service user in its own user context, removed at once.
    public static func check(_ config: Config) async -> Report {
        var report = Report()
        guard let moodleConfig = config.vle.moodle else {
            report.findings.append(Finding(check: "settings", ok: false, detail: "vle.moodle is not set in \(config.file)"))
            return report
        }
        let sync: MoodleSync
        do {
            sync = try MoodleSync(moodleConfig, stateDirectory: config.stateDir, timeouts: config.directory.timeouts)
        } catch {
            report.findings.append(Finding(check: "settings", ok: false, detail: "\(error)"))
            return report
        }
        report.findings.append(Finding(check: "settings", ok: true, detail: "\(sync.client.endpoint.serverURL), token from \(moodleConfig.tokenFile)"))
        if moodleConfig.pupilMatch == .idnumber, config.directory.pupilMatchAttribute == nil || config.directory.pupilsBase == nil {
            report.findings.append(Finding(
                check: "pupil_match", ok: false,
                detail: "vle.moodle.pupil_match idnumber needs directory.pupils_base and directory.pupil_match_attribute (the UPN)"))
        } else if config.directory.pupilsBase == nil {
            report.findings.append(Finding(check: "pupil_match", ok: false, detail: "vle.moodle.pupil_match username needs directory.pupils_base"))
        }

        let info: MoodleSiteInfo
        do {
            info = try await sync.client.siteInfo()
        } catch {
            report.findings.append(Finding(check: "token", ok: false, detail: "\(error)"))
            return report
        }
        report.findings.append(Finding(
            check: "token", ok: true, detail: "accepted by \(info.siteName) (Moodle \(info.release)) for user \(info.username) (id \(info.userID))"))
        let missing = MoodleClient.functions.filter { !info.functions.contains($0) }
        report.findings.append(Finding(
            check: "functions", ok: missing.isEmpty,
            detail: missing.isEmpty
                ? "all five enabled for the token"
                : "not in the token's external service: \(missing.joined(separator: ", ")) (Site administration > Server > Web services > External services > Functions)"))
        guard !missing.contains("core_role_assign_roles"), !missing.contains("core_role_unassign_roles") else { return report }

        report.findings.append(await roleCheck(sync, info: info, roleID: moodleConfig.parentRoleID))
        return report
    }

    static func roleCheck(_ sync: MoodleSync, info: MoodleSiteInfo, roleID: Int) async -> Finding {
        let check = "parent_role_id"
        let existing = (try? MoodleState.load(stateDirectory: sync.stateDirectory))?.assigned.first { $0.roleID == roleID }
        do {
            if let existing {
                try await sync.client.assign([MoodleRoleAssignment(roleID: roleID, userID: existing.parentID, pupilID: existing.pupilID)])
                return Finding(check: check, ok: true, detail: "role \(roleID) assigns in a user context (checked on \(existing.pair.parent) for pupil \(existing.pair.pupil), already assigned)")
            }
            let own = MoodleRoleAssignment(roleID: roleID, userID: info.userID, pupilID: info.userID)
            try await sync.client.assign([own])
            try await sync.client.unassign([own])
            return Finding(check: check, ok: true, detail: "role \(roleID) assigns in a user context (assigned to \(info.username) on their own profile and removed)")
        } catch let MoodleError.exception(_, code, message) where code == "wsusercannotassign" || code == "nopermissions" {
            return Finding(
                check: check, ok: false,
                detail: "role \(roleID) does not assign in a user context (\(code): \(message)): give the role the context type User and let the web-service user assign it (Define roles > Allow role assignments)")
        } catch {
            return Finding(check: check, ok: false, detail: "role \(roleID) could not be checked: \(error)")
        }
    }
}
