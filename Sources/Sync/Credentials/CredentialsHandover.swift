import Directory
import Foundation
import Reconcile

/// `ldap-sync credentials handover`: the named parents have their letters, so their `pending` accounts
/// (`accounts.activation: on_handover`) are unlocked, made `active` with `misStatusSince` now, put in the
/// role group, and each hand-over is written to the audit log.
///
/// Every name is checked before anything is written: an unknown or disabled account stops the command
/// (exit 2) with one line each, so a typo in a sign-in sheet never hands over half a list.
public struct CredentialsHandover: Sendable {
    public var config: Config
    public var now: Date

    public init(config: Config, now: Date = Date()) {
        self.config = config
        self.now = now
    }

    /// What the command did.
    public struct Outcome: Sendable {
        /// Unlocked now.
        public var handedOver: [String] = []
        /// Already active: nothing to do.
        public var alreadyActive: [String] = []
        public var failures: [WriteFailure] = []

        public var exitStatus: ExitStatus {
            guard let failure = failures.first else { return .success }
            return failure.error.code.meansConnectionLost ? .directoryUnavailable : .writesFailed
        }
    }

    public func run(_ connection: LDAPConnection, usernames: [String]) async throws -> Outcome {
        try CredentialsRetention.sweep(directory: config.accounts.credentialsDir, days: config.accounts.credentialsRetentionDays, now: now)
        let lookup = ParentLookup(parentsBase: config.directory.parentsBase)
        var entries: [(username: String, entry: Entry)] = []
        var refusals: [String] = []
        for username in usernames {
            let entry = try await lookup.entry(username, on: connection)
            if let reason = CredentialsRefusal.reason(username, entry, parentsBase: config.directory.parentsBase) {
                refusals.append(reason)
            } else if let entry {
                entries.append((username, entry))
            }
        }
        guard refusals.isEmpty else { throw CredentialsRefusal(reasons: refusals) }

        var outcome = Outcome()
        let runID = SyncRun.runID(now)
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(time: Timestamp.iso8601(now), run: runID, event: "run-start", message: "credentials handover, config \(config.file)"))
        var batch = WriteBatch()
        var handed: [(username: String, dn: String, index: Int)] = []
        let since = GeneralizedTime.string(from: now)
        for (username, entry) in entries {
            let pending = entry.string(ParentAttribute.misAccountStatus)?.lowercased() == AccountStatus.pending.rawValue
            guard pending else {
                outcome.alreadyActive.append(username)
                continue
            }
            var modifications = [
                Modification(.replace, ParentAttribute.misAccountStatus, [AccountStatus.active.rawValue]),
                Modification(.replace, ParentAttribute.misStatusReason, ["handed-over"]),
                Modification(.replace, ParentAttribute.misStatusSince, [since]),
            ]
            if entry.strings(ParentAttribute.pwdAccountLockedTime).contains(ParentAttribute.permanentLock) {
                modifications.append(Modification(.delete, ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock]))
            }
            handed.append((username, entry.dn, batch.append(.modify(ModifyRequest(dn: entry.dn, modifications: modifications)))))
        }
        // The role group, each member after its account is active (one modify each: a member already
        // there fails only its own add). A missing group is made by the next apply.
        var groupWrites: [Int] = []
        if let group = config.directory.parentGroup {
            for item in handed {
                groupWrites.append(batch.append(
                    .modify(ModifyRequest(dn: group, modifications: [Modification(.add, ParentAttribute.member, [item.dn])])), after: [item.index]))
            }
        }
        let results = try await connection.run(batch)
        for item in handed {
            let result = results[item.index]
            try audit.append(AuditRecord(
                time: Timestamp.iso8601(Date()), run: runID, event: "handover", action: "handover", dn: item.dn,
                result: Applier.resultText(result), message: Applier.message(result) ?? "credentials handed over; account unlocked"))
            switch result {
            case .succeeded: outcome.handedOver.append(item.username)
            case .failed(let error): outcome.failures.append(WriteFailure(change: nil, dn: item.dn, error: error))
            case .skipped, .notSent: break
            }
        }
        var groupMissing = false
        for index in groupWrites {
            guard case .failed(let error) = results[index], error.code != .attributeOrValueExists else { continue }
            if error.code == .noSuchObject {
                groupMissing = true
            } else {
                outcome.failures.append(WriteFailure(change: nil, dn: batch.items[index].operation.dn, error: error))
            }
        }
        // Under on_handover the first apply makes no role group (nobody is active yet): the first
        // hand-over makes it, with its members, as an apply would.
        if groupMissing, let group = config.directory.parentGroup {
            let members = handed.filter { results[$0.index].succeeded }.map(\.dn)
            var attributes = [Attribute(ParentAttribute.objectClass, ["groupOfNames"]), Attribute(ParentAttribute.member, members)]
            if let name = DistinguishedNames.commonName(ofGroup: group) { attributes.append(Attribute(ParentAttribute.cn, [name])) }
            var create = WriteBatch()
            create.append(.add(AddRequest(dn: group, attributes: attributes)))
            let created = try await connection.run(create)[0]
            try audit.append(AuditRecord(
                time: Timestamp.iso8601(Date()), run: runID, event: "write", action: "group", dn: group,
                result: Applier.resultText(created), message: Applier.message(created)))
            if case .failed(let error) = created { outcome.failures.append(WriteFailure(change: nil, dn: group, error: error)) }
        }
        try audit.append(AuditRecord(
            time: Timestamp.iso8601(Date()), run: runID, event: "run-end", result: "exit \(outcome.exitStatus.rawValue)",
            message: "\(outcome.handedOver.count) handed over, \(outcome.alreadyActive.count) already active, \(outcome.failures.count) failed"))
        try audit.synchronize()
        return outcome
    }
}
