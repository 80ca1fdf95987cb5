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
    /// Why the directory failed the run, in the config's words (exit 4), when it did.
    public var directoryFault: String?
    /// How many times the run reconnected after losing the directory.
    public var reconnects = 0

    /// `ldap_sync_vle_calls_owed`: calls Moodle could not be given this run (kept, retried first next run).
    public var vleCallsOwed: Int { vle?.callsOwed ?? 0 }

    /// The exit status of DESIGN.md Part B for this outcome.
    public var exitStatus: ExitStatus {
        var statuses: [ExitStatus] = []
        if let signal = result.stoppedBy { statuses.append(.stopped(by: signal)) }
        if !sourceErrors.isEmpty { statuses.append(.inputError) }
        if result.connectionLost { statuses.append(.directoryUnavailable) }
        if !result.failures.isEmpty { statuses.append(.writesFailed) }
        if plan.hasHeldChanges { statuses.append(.held) }
        if let vle { statuses.append(vle.exitStatus) }
        return ExitStatus.combined(statuses)
    }
}

extension SyncRun {
    /// Plans and writes. With `saved`, writes exactly that plan after checking that neither the sources
    /// nor the directory changed since it was made (else `SavedPlanError.stale`, exit 6).
    ///
    /// When the directory goes away mid-run, the run reconnects (`reconnect`, by default as the config
    /// says) up to `directory.retries` times with `backoff` between attempts, reads the directory again
    /// and writes what is still missing: planning from what is there, rather than replaying writes whose
    /// answers were lost, is what keeps a retry from making a second account. Past the retries, or the
    /// run's time limit, it stops with exit 4 and the next run converges.
    public func apply(
        _ connection: LDAPConnection, saved: (plan: SavedPlan, path: String)? = nil,
        reconnect: (@Sendable () async throws -> LDAPConnection)? = nil
    ) async throws -> ApplyOutcome {
        // A template that does not parse is a config error: found before anything is written.
        let letters = try LetterTemplate(path: config.accounts.letterTemplate)
        try FirstPasswordWrites(config.accounts).check()
        try CredentialsRetention.sweep(directory: config.accounts.credentialsDir, days: config.accounts.credentialsRetentionDays, now: now)
        // Moodle's settings and token are checked before anything is written (exit 2).
        let moodle = try MoodleSync.configured(config)
        let deadline = self.deadline ?? Date().addingTimeInterval(Double(config.directory.timeouts.run))
        let reconnect = reconnect ?? { [config] in try await DirectorySession.open(config, deadline: deadline) }
        let runID = self.runID
        var connection = connection
        var attempts = 0
        var audit: AuditLog?
        var sofar: ApplyOutcome?
        var names = ChildNames()

        while true {
            let lost: LDAPError
            do {
                // Prepared for apply: the rosters, the people and the desired state are gone by now.
                var prepared = try await prepare(connection, forApply: true)
                let plan = try plan(prepared, saved: saved, firstAttempt: sofar == nil)
                // Asked for after the parents' read; the server answered while the run planned.
                try await Self.readPasswordless(&prepared.snapshot, config.directory)
                if audit == nil {
                    let log = try AuditLog(stateDirectory: config.stateDir)
                    try log.append(AuditRecord(time: Self.timestamp(now), run: runID, event: "run-start", message: "config \(config.file)"))
                    for lifted in RestrictionLog.lifted(since: prepared.state.activeRestrictions, now: prepared.activeRestrictions) {
                        try log.append(AuditRecord(
                            time: Self.timestamp(now), run: runID, event: "restriction-lifted", reasons: [ReasonCode.restricted.rawValue],
                            message: "no longer in force (ends_on passed, or taken out of \(config.restrictionsPath)): \(lifted)"))
                    }
                    audit = log
                }
                names = prepared.sourceSummary.childNames
                let result = try await writeAttempt(plan, prepared, connection, audit: audit!, runID: runID)
                var outcome = ApplyOutcome(
                    plan: sofar?.plan ?? plan, result: Self.merge(sofar?.result, result),
                    sourceErrors: prepared.sourceSummary.errors.map(\.description), runID: runID,
                    sourceRecords: prepared.sourceSummary.recordsPerSchool)
                outcome.reconnects = attempts
                sofar = outcome
                // 100,000 decoded entries take a few tenths of a second to free; a process about to exit
                // lets the system take them back with the rest of its memory.
                if keepsRunValuesUntilExit { RunValuesKeptUntilExit.keep(prepared) }
                // After a run that wrote much (a first apply), the copy of the directory in `state_dir` is made
                // anew, so that the next run reads only what changes after this one (else it would read the
                // whole tree, the cache being too far behind). A copy that cannot be made costs that, no more.
                if !result.connectionLost, plan.changes.count > max(64, prepared.snapshot.parents.count / 8) {
                    var reader = DirectoryReader(config)
                    reader.cache = entryCache(writes: true)
                    try? await reader.refreshCache(from: connection)
                }
                guard result.connectionLost, let error = result.failures.last(where: { $0.error.code.meansConnectionLost })?.error else {
                    // The directory first, then Moodle: Moodle's own LDAP sync would revive a user suspended
                    // while the directory still let them in.
                    if let moodle {
                        outcome.vle = await moodle.afterApplyReportingFailure(
                            connection, directory: config, audit: MoodleAudit(log: audit!, runID: runID))
                    }
                    let finished = try finish(outcome, audit: audit!, letters: letters, names: names)
                    // The resolution memo, encoded beside the writes, written after the run's last flush to disk
                    // (the audit log's): a flush after it would carry its 20 MB (see `ResolutionMemo.encode`).
                    await prepared.memoEncoded?.value?.write()
                    return finished
                }
                lost = error
            } catch let unavailable as DirectoryUnavailable {
                // Lost while reading the directory: nothing of this attempt was written.
                guard sofar != nil || attempts < config.directory.retries else { throw unavailable }
                lost = unavailable.underlying
            }
            await connection.close()
            if let next = await reconnectWithBackoff(after: lost, attempts: &attempts, deadline: deadline, audit: audit, runID: runID, reconnect) {
                connection = next
                continue
            }
            // Did not come back: exit 4, the next run converges.
            guard var outcome = sofar, let audit else {
                throw DirectoryUnavailable(underlying: lost, explanation: DirectoryFault.explain(lost, config.directory, during: .run))
            }
            outcome.result.connectionLost = true
            outcome.result.stoppedBy = outcome.result.stoppedBy ?? stop.signal
            outcome.reconnects = attempts
            outcome.directoryFault = DirectoryFault.explain(lost, config.directory, during: .run)
            return try finish(outcome, audit: audit, letters: letters, names: names)
        }
    }

    /// Collects the passwordless accounts the reader asked for; a connection lost meanwhile is lost while
    /// reading the directory (nothing of the attempt was written, the run reconnects), as in `prepare`.
    static func readPasswordless(_ snapshot: inout DirectorySnapshot, _ directory: DirectoryConfig) async throws {
        try await DirectoryUnavailable.whileReading(directory) { try await snapshot.readPasswordless() }
    }

    /// The plan to write: the fresh one, or the saved one on a first attempt (checked for staleness),
    /// or after a reconnect what of the saved plan is still to do.
    private func plan(_ prepared: PreparedRun, saved: (plan: SavedPlan, path: String)?, firstAttempt: Bool) throws -> Plan {
        guard let saved else { return prepared.plan }
        guard firstAttempt else { return prepared.plan.keeping(only: saved.plan.plan) }
        if saved.plan.sourcesFingerprint != prepared.sourcesFingerprint {
            throw SavedPlanError.stale(path: saved.path, what: "the sources")
        }
        if saved.plan.directoryFingerprint != prepared.directoryFingerprint {
            throw SavedPlanError.stale(path: saved.path, what: "the directory")
        }
        return saved.plan.plan
    }

    /// Waits and reconnects until a connection is made, the retries are used up, the run's time limit
    /// comes or a signal asks to stop. Each attempt goes to the audit log.
    private func reconnectWithBackoff(
        after lost: LDAPError, attempts: inout Int, deadline: Date, audit: AuditLog?, runID: String,
        _ reconnect: @Sendable () async throws -> LDAPConnection
    ) async -> LDAPConnection? {
        var reason = "\(lost.code): \(lost.diagnosticMessage)"
        while attempts < config.directory.retries, !stop.isRequested {
            attempts += 1
            let wait = min(backoff.delay(before: attempts), deadline.timeIntervalSinceNow)
            guard wait >= 0 else { return nil }
            try? audit?.append(AuditRecord(
                time: Self.timestamp(Date()), run: runID, event: "reconnect",
                message: "attempt \(attempts) of \(config.directory.retries) in \(RetryBackoff.format(wait)) s, after \(reason)"))
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            if stop.isRequested || Date() >= deadline { return nil }
            do {
                return try await reconnect()
            } catch let unavailable as DirectoryUnavailable {
                reason = "\(unavailable.underlying.code): \(unavailable.underlying.diagnosticMessage)"
            } catch {
                reason = "\(error)"
            }
        }
        return nil
    }

    /// One attempt's writes: passwords owed from before, the plan, and the state for the next run.
    private func writeAttempt(_ plan: Plan, _ prepared: PreparedRun, _ connection: LDAPConnection, audit: AuditLog, runID: String) async throws -> ApplyResult {
        var applier = Applier(
            connection: connection, audit: audit, runID: runID, credentialsDirectory: config.accounts.credentialsDir,
            command: "apply", startedAt: now, stateDirectory: config.stateDir, firstPasswords: FirstPasswordWrites(config.accounts))
        applier.stop = stop
        applier.progress = progress
        // Only the entries the plan writes: a run that changes little holds no second index of them all.
        applier.entriesBefore = Self.entriesBefore(plan, prepared.snapshot.parents)
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
        let journaled = journal.leftOver()
        let unsure = Set(journaled.map { $0.lowercased() })
        // Nearly every run has neither (a settled directory, an empty journal): then no entry is looked at.
        let passwordless = prepared.snapshot.passwordlessDNs.isEmpty && unsure.isEmpty ? [] : prepared.snapshot.parents.entries { dn in
            (prepared.snapshot.passwordlessDNs.contains(dn) || unsure.contains(dn.lowercased())) && !leaving.contains(dn)
        }.filter { $0.string(ParentAttribute.misAccountStatus)?.lowercased() != AccountStatus.disabled.rawValue }
        // Accounts in the journal that the directory does not show: their add may never have happened, or
        // may still land (a hung server resuming what a run that gave up on it had sent). They stay in the
        // journal until this run gives them a password or the directory shows them.
        let existing = journaled.isEmpty ? [] : Set(prepared.snapshot.currentParents.map { $0.dn.lowercased() })
        let unseen = journaled.filter { !existing.contains($0.lowercased()) }
        if passwordless.isEmpty { try? journal.settle(keeping: unseen) }
        let result = try await applier.apply(plan, groupMembers: prepared.snapshot.roleGroup?.members ?? [], passwordless: passwordless)
        let told = Set(result.credentials.map { $0.dn.lowercased() })
        try? journal.add(unseen.filter { !told.contains($0.lowercased()) })

        var state = prepared.state
        state.activeRestrictions = prepared.activeRestrictions
        state.issuedUsernames.formUnion(result.credentials.map { $0.username.lowercased() })
        let sources = prepared.sourceSummary
        if sources.errors.isEmpty, !result.connectionLost {
            // Only a clean read becomes the yardstick for the next run's shrink check; a held school keeps
            // its old one unless IT accepted the limits.
            for (school, records) in sources.recordsPerSchool where prepared.unhealthySchools[school] == nil || acceptLimits {
                state.lastGoodRecords[school] = records
            }
            for source in sources.readable {
                let healthy = source.schools.allSatisfy { prepared.unhealthySchools[$0] == nil }
                if healthy || acceptLimits, let header = prepared.sourceHeaders[source.path] {
                    state.lastGoodColumns[source.path] = header
                }
            }
            state.rememberLeavers(sources, healthy: { prepared.unhealthySchools[$0] == nil || acceptLimits })
        }
        try state.save(stateDirectory: config.stateDir)
        return result
    }

    /// The entries `plan` writes to (but for creates), as read, by `GroupWrites.key` of their DN.
    ///
    /// A plan names an entry by its DN as read, so the entries are first found by that DN as it is (no key
    /// of 100,000 DNs for a run that writes to a few hundred); only a DN not found so goes through the keys.
    /// Only the entries the plan writes are made again from the kept form (`ParentEntries`).
    static func entriesBefore(_ plan: Plan, _ entries: ParentEntries) -> [String: Entry] {
        let written = Set(plan.changes.lazy.filter { $0.action != .create }.map { GroupWrites.key($0.dn) })
        guard !written.isEmpty else { return [:] }
        let named = Set(plan.changes.lazy.filter { $0.action != .create }.map(\.dn))
        let found = Dictionary(
            entries.entries { named.contains($0) }.map { (GroupWrites.key($0.dn), $0) }, uniquingKeysWith: { first, _ in first })
        guard found.count < written.count else { return found }
        return Dictionary(
            entries.entries { written.contains(GroupWrites.key($0)) }.map { (GroupWrites.key($0.dn), $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The run-end line of the audit log, on disk before the outcome is returned.
    /// The letters for every first password the run issued (all attempts), beside the first credentials file.
    private func finish(_ outcome: ApplyOutcome, audit: AuditLog, letters: LetterTemplate, names: ChildNames) throws -> ApplyOutcome {
        var outcome = outcome
        if let file = outcome.result.credentialsFile {
            outcome.result.lettersFile = try LettersFile.write(
                outcome.result.credentials, besideCSV: file, template: letters, names: names,
                loginURL: config.accounts.loginURL, date: now)
        }
        let result = outcome.result
        var message = "\(result.applied.count) applied, \(result.failures.count) failed, \(outcome.plan.held.count) held"
        if !result.notSent.isEmpty { message += ", \(result.notSent.count) not sent" }
        if outcome.reconnects > 0 { message += ", \(outcome.reconnects) reconnect(s)" }
        if let signal = result.stoppedBy { message += "; stopped by signal \(signal)" }
        if let fault = outcome.directoryFault { message += "; \(fault)" }
        if let problem = result.storageProblem { message += "; \(problem)" }
        if let vle = outcome.vle { message += ", Moodle: \(vle.made.count) made, \(vle.callsOwed) owed, \(vle.waiting.count) waiting" }
        try audit.append(AuditRecord(
            time: Self.timestamp(Date()), run: outcome.runID, event: "run-end", result: "exit \(outcome.exitStatus.rawValue)",
            message: message))
        try audit.synchronize()
        return outcome
    }

    /// The results of the attempts of one run as one: failures that a later attempt made good (those
    /// the lost connection caused) are dropped.
    static func merge(_ earlier: ApplyResult?, _ later: ApplyResult) -> ApplyResult {
        guard let earlier else { return later }
        var merged = later
        merged.applied = earlier.applied + later.applied
        merged.failures = earlier.failures.filter { !$0.error.code.meansConnectionLost } + later.failures
        merged.credentials = earlier.credentials + later.credentials
        merged.credentialsFile = earlier.credentialsFile ?? later.credentialsFile
        merged.moreCredentialsFiles = earlier.moreCredentialsFiles
            + [later.credentialsFile].compactMap { $0 }.filter { $0 != merged.credentialsFile } + later.moreCredentialsFiles
        merged.storageProblem = earlier.storageProblem ?? later.storageProblem
        return merged
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
        for entry in snapshot.parents.entries(where: { enabled.contains(GroupWrites.key($0)) }) {
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

extension Plan {
    /// This plan's changes that `saved` also has (by action, entry and pupil), with `saved`'s holds:
    /// what of a saved plan is still to do after a reconnect.
    func keeping(only saved: Plan) -> Plan {
        func key(_ change: Change) -> String { "\(change.action.rawValue)|\(change.dn.lowercased())|\(change.pupil ?? "")" }
        let wanted = Set(saved.changes.map(key))
        var copy = self
        copy.changes = changes.filter { wanted.contains(key($0)) }
        copy.held = saved.held
        copy.summary = PlanSummary(changes: copy.changes, held: saved.held.count, unchanged: summary.unchanged)
        return copy
    }
}

extension RetryBackoff {
    static func format(_ seconds: Double) -> String {
        String(format: "%.1f", seconds)
    }
}
