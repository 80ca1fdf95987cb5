import Directory
import Foundation
import Reconcile
import Roster

extension Config {
    /// Where the restrictions are kept: `policy.restrictions`, else `restrictions.csv` in `state_dir`
    /// (where `revoke` writes when the school keeps no file of its own).
    public var restrictionsPath: String {
        policy.restrictions ?? (stateDir as NSString).appendingPathComponent("restrictions.csv")
    }

    /// `restrictions.csv` in `state_dir`: where `revoke` writes without `policy.restrictions`. It is read
    /// even after the school configures a file of its own, so that no earlier revoke is forgotten.
    var stateRestrictionsPath: String {
        (stateDir as NSString).appendingPathComponent("restrictions.csv")
    }

    /// Every policy file a run reads, for the saved plan's fingerprint: a plan saved before a `revoke`
    /// is stale after it.
    public var policyFilePaths: [String] {
        Array(Set([restrictionsPath, stateRestrictionsPath])).sorted()
            + [policy.courtOrderOverrides, policy.lookedAfterApprovals].compactMap { $0 }
    }

    /// The school's rules from its policy files (all of them, whatever their `ends_on`; the resolver
    /// keeps those in force on the run's date).
    public func safeguardingRules() throws(PolicyFileError) -> SafeguardingRules {
        var restrictions = try PolicyFile.load(
            .restrictions, path: restrictionsPath, missingIsEmpty: policy.restrictions == nil)
        if restrictionsPath != stateRestrictionsPath {
            restrictions += try PolicyFile.load(.restrictions, path: stateRestrictionsPath, missingIsEmpty: true)
        }
        let overrides = try PolicyFile.load(.courtOrderOverrides, path: policy.courtOrderOverrides)
        let approvals = try PolicyFile.load(.lookedAfterApprovals, path: policy.lookedAfterApprovals)
        return SafeguardingRules(
            restrictions: LinkRules(restrictions.map(\.rule)), courtOrderOverrides: LinkRules(overrides.map(\.rule)),
            approvals: LinkRules(approvals.map(\.rule)))
    }

    /// The eligibility policy of the config with the school's rules: what every command that decides
    /// links uses (plan, apply, dedupe, access), so they all show the same reasons.
    public func eligibilityPolicy() throws(PolicyFileError) -> EligibilityPolicy {
        var policy = EligibilityPolicy(self.policy)
        policy.rules = try safeguardingRules()
        return policy
    }
}

extension CurrentDirectory {
    /// The username of the entry each record reference belongs to, so policy files may name a parent
    /// by username.
    public var usernamesByRecord: [ContactReference: String] {
        var usernames: [ContactReference: String] = [:]
        for parent in parents {
            for text in parent.misContactRef {
                if let reference = ContactReference(misContactRef: text) { usernames[reference] = parent.uid }
            }
        }
        return usernames
    }
}

extension DirectorySnapshot {
    /// The same as `CurrentDirectory(self).usernamesByRecord`: from the planner's view of the entries,
    /// which the snapshot keeps them as.
    public var usernamesByRecord: [ContactReference: String] {
        CurrentDirectory(parents: currentParents).usernamesByRecord
    }
}

extension ContactReference {
    /// A record as a `misContactRef` value names it: `<school>/<contact>`, or for a CTF record
    /// `<school>/<pupil>/<position>` (the reader's reference by position). Nil for anything else.
    init?(misContactRef text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            self = .id(String(parts[1]), school: String(parts[0]))
        } else if parts.count == 3, let index = Int(parts[2]) {
            self = .position(index, of: PupilReference(schoolID: String(parts[0]), pupilID: String(parts[1])))
        } else {
            return nil
        }
    }
}

/// What `ldap-sync check` says about the school's policy files: how many rows each holds and how many
/// are in force, or the first problem (exit 2, as for a source that cannot be used).
public struct PolicyFilesCheck: Sendable {
    public var text: String
    public var exitStatus: ExitStatus

    public static func run(config: Config, now: Date = Date()) -> PolicyFilesCheck {
        let today = CalendarDate.todayUTC(now: now)
        do {
            let rules = try config.safeguardingRules()
            func count(_ name: String, _ rules: LinkRules) -> String {
                "\(rules.rules.count) \(name) (\(rules.active(on: today).rules.count) in force)"
            }
            let text = "policy files: " + [
                count("restrictions", rules.restrictions), count("court-order overrides", rules.courtOrderOverrides),
                count("looked-after approvals", rules.approvals),
            ].joined(separator: ", ")
            return PolicyFilesCheck(text: text, exitStatus: .success)
        } catch {
            return PolicyFilesCheck(text: "policy files: \(error)", exitStatus: error.exitStatus)
        }
    }
}
