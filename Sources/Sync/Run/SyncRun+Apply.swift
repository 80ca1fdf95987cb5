import Directory
import Foundation
import Reconcile

/// What an `apply` did, for the summary line, the exit status and the report.
public struct ApplyOutcome: Sendable {
    public var plan: Plan
    public var result: ApplyResult
    public var sourceErrors: [String]
    public var runID: String
    /// Link records per school in the sources read (for the metrics).
    public var sourceRecords: [String: Int] = [:]
    /// What Moodle was told after the directory was written (nil when `vle.moodle` is not set).
    public var vle: MoodleSyncOutcome?

    /// `ldap_sync_vle_calls_owed`: calls Moodle could not be given this run (kept, retried first next run).
    public var vleCallsOwed: Int { vle?.callsOwed ?? 0 }

    /// The exit status of DESIGN.md Part B for this outcome.
    public var exitStatus: ExitStatus {
        var statuses: [ExitStatus] = [vle?.exitStatus ?? .success]
        if !sourceErrors.isEmpty { statuses.append(.inputError) }
        if result.connectionLost { statuses.append(.directoryUnavailable) }
        if !result.failures.isEmpty { statuses.append(.writesFailed) }
        if plan.hasHeldChanges { statuses.append(.held) }
        return ExitStatus.combined(statuses)
    }
}

extension SyncRun {
    /// Plans and writes. With `saved`, writes exactly that plan after checking that neither the sources
    /// nor the directory changed since it was made (else `SavedPlanError.stale`, exit 6).
    public func apply(_ connection: LDAPConnection, saved: (plan: SavedPlan, path: String)? = nil) async throws -> ApplyOutcome {
        // A template that does not parse is a config error: found before anything is written.
        let letters = try LetterTemplate(path: config.accounts.letterTemplate)
        try FirstPasswordWrites(config.accounts).check()
        try CredentialsRetention.sweep(directory: config.accounts.credentialsDir, days: config.accounts.credentialsRetentionDays, now: now)
        // Moodle's settings and token are checked before anything is written (exit 2).
        let moodle = try MoodleSync.configured(config)
        let prepared = try await prepare(connection)
        var plan = prepared.plan
        if let saved {
            if saved.plan.sourcesFingerprint != prepared.sourcesFingerprint {
                throw SavedPlanError.stale(path: saved.path, what: "the sources")
            }
            if saved.plan.directoryFingerprint != prepared.directoryFingerprint {
                throw SavedPlanError.stale(path: saved.path, what: "the directory")
            }
            plan = saved.plan.plan
        }

        let runID = self.runID
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(time: Self.timestamp(now), run: runID, event: "run-start", message: "config \(config.file)"))
        for lifted in RestrictionLog.lifted(since: prepared.state.activeRestrictions, now: prepared.activeRestrictions) {
            try audit.append(AuditRecord(
                time: Self.timestamp(now), run: runID, event: "restriction-lifted", reasons: [ReasonCode.restricted.rawValue],
                message: "no longer in force (ends_on passed, or taken out of \(config.restrictionsPath)): \(lifted)"))
        }
        var applier = Applier(
            connection: connection, audit: audit, runID: runID, credentialsDirectory: config.accounts.credentialsDir,
            command: "apply", startedAt: now, stateDirectory: config.stateDir, firstPasswords: FirstPasswordWrites(config.accounts))
        applier.progress = progress
        applier.entriesBefore = Dictionary(
            prepared.snapshot.managedParents.map { (GroupWrites.key($0.dn), $0) }, uniquingKeysWith: { first, _ in first })
        if config.accounts.reissueOnEnable {
            // Under on_handover an enabled account comes back pending, so it stays locked after its new password.
            applier.reissueOnEnable = Self.reissueRows(plan, prepared.snapshot).mapValues {
                PasswordTarget(row: $0, keepLocked: config.accounts.activation == .onHandover)
            }
        }
        // Disabled accounts need no password; those the plan disables or deletes now neither.
        let leaving = Set(plan.changes.filter { $0.action == .disable || $0.action == .delete }.map(\.dn))
        // Accounts without a password, and those a run that died was setting passwords for: both get
        // a new first password and a row in the credentials file.
        let journal = PendingPasswords(stateDirectory: config.stateDir)
        let unsure = Set(journal.leftOver().map { $0.lowercased() })
        let passwordless = prepared.snapshot.managedParents.filter {
            (prepared.snapshot.passwordlessDNs.contains($0.dn) || unsure.contains($0.dn.lowercased())) && !leaving.contains($0.dn)
                && $0.string(ParentAttribute.misAccountStatus)?.lowercased() != AccountStatus.disabled.rawValue
        }
        // Accounts in the journal that do not exist (their add never happened) need nothing.
        if passwordless.isEmpty { try journal.settle(keeping: []) }
        var result = try await applier.apply(plan, groupMembers: prepared.snapshot.roleGroup?.members ?? [], passwordless: passwordless)
        if let file = result.credentialsFile {
            result.lettersFile = try LettersFile.write(
                result.credentials, besideCSV: file, template: letters, names: ChildNames(prepared.sources),
                loginURL: config.accounts.loginURL, date: now)
        }

        var state = prepared.state
        state.activeRestrictions = prepared.activeRestrictions
        state.issuedUsernames.formUnion(result.credentials.map { $0.username.lowercased() })
        if prepared.sources.errors.isEmpty, !result.connectionLost {
            // Only a clean read becomes the yardstick for the next run's shrink check; a held school keeps
            // its old one unless IT accepted the limits.
            for (school, records) in prepared.sources.recordsPerSchool where prepared.unhealthySchools[school] == nil || acceptLimits {
                state.lastGoodRecords[school] = records
            }
            for source in prepared.sources.readable {
                let healthy = source.roster.schoolIDs.allSatisfy { prepared.unhealthySchools[$0] == nil }
                if healthy || acceptLimits, let header = prepared.sourceHeaders[source.config.pathAsWritten] {
                    state.lastGoodColumns[source.config.pathAsWritten] = header
                }
            }
        }
        try state.save(stateDirectory: config.stateDir)

        var outcome = ApplyOutcome(
            plan: plan, result: result, sourceErrors: prepared.sources.errors.map(\.description), runID: runID,
            sourceRecords: prepared.sources.recordsPerSchool)
        // The directory first, then Moodle: Moodle's own LDAP sync would revive a user suspended while
        // the directory still let them in.
        if let moodle {
            outcome.vle = await moodle.afterApplyReportingFailure(connection, directory: config, audit: MoodleAudit(log: audit, runID: runID))
        }
        try audit.append(AuditRecord(
            time: Self.timestamp(Date()), run: runID, event: "run-end", result: "exit \(outcome.exitStatus.rawValue)",
            message: "\(result.applied.count) applied, \(result.failures.count) failed, \(plan.held.count) held"
                + (outcome.vle.map { ", Moodle: \($0.made.count) made, \($0.callsOwed) owed, \($0.waiting.count) waiting" } ?? "")))
        try audit.synchronize()
        return outcome
    }

    /// This run's id: the command line knows it before the run starts, for the summary of a run that
    /// stops early.
    public var runID: String { Self.runID(now) }

    /// The credentials rows (without password) of the accounts `plan` enables, keyed by
    /// `GroupWrites.key(dn)`: their children are those they keep and those the plan links.
    static func reissueRows(_ plan: Plan, _ snapshot: DirectorySnapshot) -> [String: CredentialsRow] {
        let enabled = Set(plan.changes.filter { $0.action == .enable }.map { GroupWrites.key($0.dn) })
        guard !enabled.isEmpty else { return [:] }
        var linked: [String: Set<String>] = [:]
        for change in plan.changes where change.action == .link {
            if let pupil = change.pupil { linked[GroupWrites.key(change.dn), default: []].insert(pupil) }
        }
        var rows: [String: CredentialsRow] = [:]
        for entry in snapshot.managedParents where enabled.contains(GroupWrites.key(entry.dn)) {
            let key = GroupWrites.key(entry.dn)
            var row = Applier.credentialsRow(for: entry)
            row.children = Set(row.children).union(linked[key] ?? []).sorted()
            rows[key] = row
        }
        return rows
    }

    /// `20261129T131500Z-<pid>`: unique per run, sortable, and the credentials file carries the same time.
    public static func runID(_ date: Date) -> String {
        "\(CredentialsWriter.fileStamp(date))-\(getpid())"
    }

    static func timestamp(_ date: Date) -> String {
        Timestamp.iso8601(date)
    }
}
