import Directory
import Foundation
import Reconcile

/// Writes a plan to the directory: revocations first, then new accounts with their first passwords, then
/// everything else, then the role group. Every write and its result goes to the audit log.
public struct Applier: Sendable {
    public var connection: LDAPConnection
    public var audit: AuditLog
    public var runID: String
    /// Where new accounts' first passwords go (`accounts.credentials_dir`).
    public var credentialsDirectory: String
    /// The command that created the accounts, for the credentials file's name.
    public var command: String
    /// The time the run started (names the credentials file).
    public var startedAt: Date
    public var passwords = PasswordGenerator()
    /// Accounts created per round: after each round the passwords set are on disk.
    public var createRound = 500
    /// The journal of passwords being set; a run that dies mid-round leaves it for the next to repair.
    public var pending: PendingPasswords
    /// Where the journal and the audit log live (checked for room before accounts are created).
    public var stateDirectory: String
    /// A stop asked for by a signal: no new write starts once it is set.
    public var stop = StopRequest()

    public init(
        connection: LDAPConnection, audit: AuditLog, runID: String, credentialsDirectory: String, command: String,
        startedAt: Date, stateDirectory: String
    ) {
        self.connection = connection
        self.audit = audit
        self.runID = runID
        self.credentialsDirectory = credentialsDirectory
        self.command = command
        self.startedAt = startedAt
        self.pending = PendingPasswords(stateDirectory: stateDirectory)
        self.stateDirectory = stateDirectory
    }

    /// True (and noted in `result`) when a signal asked the run to stop.
    private func stopping(_ result: inout ApplyResult) -> Bool {
        guard let signal = stop.signal else { return false }
        result.stoppedBy = signal
        return true
    }

    /// Applies `plan` (its `changes`; held changes are not in them). `groupMembers` are the role group's
    /// members as read before planning.
    public func apply(_ plan: Plan, groupMembers: [String], passwordless: [Entry] = []) async throws -> ApplyResult {
        var result = ApplyResult()
        var group = plan.roleGroup.map { GroupWrites(dn: $0.dn, currentMembers: groupMembers) }

        // 1. Revocations, never held and never behind anything else.
        let revocations = plan.changes.filter { $0.cause == .revocation }
        try await write(revocations, into: &result)
        let revokedMembers = revocations.compactMap { $0.group?.kind == .delete ? $0.group?.member : nil }
        if var writes = group, plan.roleGroup?.create == false, let modify = writes.modify(deleting: revokedMembers, adding: []) {
            try await writeGroup(.modify(modify), into: &result)
            group = writes
        }
        guard !result.connectionLost, !stopping(&result) else { return result }

        var writer: CredentialsWriter?
        defer { if let writer, result.credentials.isEmpty { try? FileManager.default.removeItem(atPath: writer.path) } }
        // 2. Accounts an earlier run added but whose password it did not set, or did not record: first,
        // before new rounds take over the journal.
        if !passwordless.isEmpty {
            do {
                try StorageRoom.ensure(passwordless.count * StorageRoom.bytesPerAccount, in: credentialsDirectory, purpose: "first passwords")
                try await givePasswords(to: passwordless, into: &result, writer: &writer)
            } catch let problem as StorageProblem {
                result.storageProblem = problem.description
            }
            if result.connectionLost || stopping(&result) { return result }
        }
        // 3. New accounts, each with its first password, a round at a time. Before each round, the
        // journal and the credentials file must have room: an account is never made whose password
        // could not then be stored.
        let rest = plan.changes.filter { $0.cause != .revocation }
        let creates = rest.filter { $0.action == .create }
        for start in stride(from: 0, to: creates.count, by: createRound) {
            let round = Array(creates[start..<min(start + createRound, creates.count)])
            if result.storageProblem == nil {
                do {
                    try StorageRoom.ensure(round.count * StorageRoom.bytesPerAccount, in: stateDirectory, purpose: "the password journal and audit log")
                    try StorageRoom.ensure(round.count * StorageRoom.bytesPerAccount, in: credentialsDirectory, purpose: "first passwords")
                    if writer == nil {
                        do {
                            writer = try CredentialsWriter(directory: credentialsDirectory, command: command, at: startedAt)
                        } catch {
                            throw StorageProblem(directory: credentialsDirectory, purpose: "first passwords", reason: "\(error.localizedDescription)")
                        }
                    }
                    try await create(round, into: &result, writer: &writer)
                } catch let problem as StorageProblem {
                    result.storageProblem = problem.description
                }
            }
            if let problem = result.storageProblem {
                let error = LDAPError(operation: "create", code: .other, diagnosticMessage: "not created: \(problem)")
                for change in round where !result.applied.contains(change) && !result.failures.contains(where: { $0.change == change }) {
                    result.failures.append(WriteFailure(change: change, dn: change.dn, error: error))
                }
            }
            if result.connectionLost || stopping(&result) { return result }
        }

        // 4. Everything else.
        try await write(rest.filter { $0.action != .create }, into: &result)
        guard !result.connectionLost, !stopping(&result), let roleGroup = plan.roleGroup, var writes = group else { return result }

        // 5. The role group: only accounts that now exist join it, and only for changes being applied
        // (a plan cut down to its revocations still carries the full group plan).
        let failedCreates = Set(result.failures.compactMap { $0.change?.action == .create ? GroupWrites.key($0.dn) : nil })
        let applied = Set(plan.changes.compactMap { $0.group.map { GroupWrites.key($0.member) } })
        // A new group carries its first members in `creation`; an existing one gets `add`.
        let planned = roleGroup.create
            ? roleGroup.creation.first { $0.attribute.lowercased() == "member" }?.values ?? [] : roleGroup.add
        let joining = planned.filter { applied.contains(GroupWrites.key($0)) && !failedCreates.contains(GroupWrites.key($0)) }
        let leaving = roleGroup.delete.filter { applied.contains(GroupWrites.key($0)) }
        if roleGroup.create {
            var members = joining.filter { GroupWrites.key($0) != GroupWrites.key(roleGroup.dn) }
            if members.isEmpty { members = [roleGroup.dn] }
            let attributes = roleGroup.creation.filter { $0.attribute.lowercased() != "member" }.map { Attribute($0.attribute, $0.values) }
                + [Attribute("member", members)]
            try await writeGroup(.add(AddRequest(dn: roleGroup.dn, attributes: attributes)), into: &result)
        } else if let modify = writes.modify(deleting: leaving, adding: joining) {
            try await writeGroup(.modify(modify), into: &result)
        }
        return result
    }

    /// Writes changes that need one operation each, pipelined.
    private func write(_ changes: [Change], into result: inout ApplyResult) async throws {
        var batch = WriteBatch()
        var changeOfItem: [Int: Change] = [:]
        for change in changes {
            if let operation = ChangeWrites.operation(for: change) {
                changeOfItem[batch.append(operation)] = change
            } else {
                result.applied.append(change)
            }
        }
        guard batch.count > 0 else { return }
        let outcomes = try await connection.run(batch, stopRequested: { [stop] in stop.isRequested })
        for (index, outcome) in outcomes.enumerated() {
            guard let change = changeOfItem[index] else { continue }
            try record(change, outcome, into: &result)
        }
        try audit.synchronize()
    }

    /// Adds each new account, then sets its first password with Password Modify so the server hashes it.
    /// An account whose password could not be set is deleted again: none is left that nobody can log in to.
    private func create(_ changes: [Change], into result: inout ApplyResult, writer: inout CredentialsWriter?) async throws {
        var batch = WriteBatch()
        var planned: [(change: Change, add: Int, password: Int, secret: String)] = []
        for change in changes {
            guard let add = ChangeWrites.operation(for: change) else { continue }
            let secret = passwords.make()
            let addIndex = batch.append(add)
            let passwordIndex = batch.append(.passwordModify(PasswordModifyRequest(userDN: change.dn, newPassword: Secret(secret))), after: [addIndex])
            planned.append((change, addIndex, passwordIndex, secret))
        }
        do {
            try pending.begin(planned.map(\.change.dn))
        } catch {
            throw StorageProblem(directory: stateDirectory, purpose: "the password journal", reason: "\(error.localizedDescription)")
        }
        let outcomes = try await connection.run(batch, stopRequested: { [stop] in stop.isRequested })
        // The passwords go on disk before anything else is written (the audit log may be the thing
        // that fills the disk): an account that exists has its password stored first.
        let rows = planned.filter { outcomes[$0.add].succeeded && outcomes[$0.password].succeeded }
            .map { Self.credentialsRow(for: $0.change, password: $0.secret) }
        if !rows.isEmpty {
            if writer == nil {
                writer = try CredentialsWriter(directory: credentialsDirectory, command: command, at: startedAt)
            }
            try writer?.append(rows)
            result.credentialsFile = writer?.path
            result.credentials += rows
        }
        var rollback = WriteBatch()
        for item in planned {
            switch (outcomes[item.add], outcomes[item.password]) {
            case (.succeeded, .succeeded):
                try record(item.change, .succeeded, into: &result)
            case (.succeeded, let passwordOutcome):
                rollback.append(.delete(DeleteRequest(dn: item.change.dn)))
                try record(item.change, passwordOutcome, into: &result)
            default:
                try record(item.change, outcomes[item.add], into: &result)
            }
        }
        if rollback.count > 0 {
            for (index, outcome) in try await connection.run(rollback).enumerated() where !outcome.succeeded {
                let dn = rollback.items[index].operation.dn
                try audit.append(AuditRecord(time: Self.now(), run: runID, event: "rollback", dn: dn, result: Self.resultText(outcome)))
            }
        }
        try audit.synchronize()
        // Once the rows are on disk, only the accounts whose password is not known to be set stay pending.
        try pending.settle(keeping: planned.filter { !outcomes[$0.password].succeeded }.map(\.change.dn))
    }

    private func givePasswords(to entries: [Entry], into result: inout ApplyResult, writer: inout CredentialsWriter?) async throws {
        var batch = WriteBatch()
        var secrets: [String] = []
        for entry in entries {
            let secret = passwords.make()
            secrets.append(secret)
            batch.append(.passwordModify(PasswordModifyRequest(userDN: entry.dn, newPassword: Secret(secret))))
        }
        do {
            try pending.begin(entries.map(\.dn))
        } catch {
            throw StorageProblem(directory: stateDirectory, purpose: "the password journal", reason: "\(error.localizedDescription)")
        }
        var rows: [CredentialsRow] = []
        for (index, outcome) in try await connection.run(batch).enumerated() {
            let entry = entries[index]
            try audit.append(AuditRecord(
                time: Self.now(), run: runID, event: "write", action: "first-password", dn: entry.dn,
                result: Self.resultText(outcome), message: Self.message(outcome) ?? "the account had no password"))
            switch outcome {
            case .succeeded:
                rows.append(CredentialsRow(
                    dn: entry.dn, username: entry.string(ParentAttribute.uid) ?? "", givenName: entry.string(ParentAttribute.givenName) ?? "",
                    familyName: entry.string(ParentAttribute.sn) ?? "", email: entry.string(ParentAttribute.mail) ?? "",
                    initialPassword: secrets[index], children: entry.strings(ParentAttribute.misChildRef).sorted()))
            case .failed(let error):
                result.failures.append(WriteFailure(change: nil, dn: entry.dn, error: error))
                if error.code.meansConnectionLost { result.connectionLost = true }
            case .skipped, .notSent:
                break
            }
        }
        if !rows.isEmpty {
            if writer == nil {
                writer = try CredentialsWriter(directory: credentialsDirectory, command: command, at: startedAt)
                result.credentialsFile = writer?.path
            }
            try writer?.append(rows)
            result.credentials += rows
        }
        try pending.settle(keeping: rows.isEmpty ? entries.map(\.dn) : entries.map(\.dn).filter { dn in !rows.contains { $0.dn == dn } })
    }

    private func writeGroup(_ operation: WriteOperation, into result: inout ApplyResult) async throws {
        var batch = WriteBatch()
        batch.append(operation)
        let outcome = try await connection.run(batch)[0]
        try audit.append(AuditRecord(time: Self.now(), run: runID, event: "write", action: "group", dn: operation.dn, result: Self.resultText(outcome), message: Self.message(outcome)))
        if case .failed(let error) = outcome {
            result.failures.append(WriteFailure(change: nil, dn: operation.dn, error: error))
            if error.code.meansConnectionLost { result.connectionLost = true }
        }
    }

    private func record(_ change: Change, _ outcome: WriteOutcome, into result: inout ApplyResult) throws {
        // Never sent: nothing happened to record in the audit log; the next run makes the change.
        if outcome == .notSent {
            result.notSent.append(change)
            return
        }
        var changes: [String: [String]] = [:]
        for modification in change.modifications {
            changes["\(modification.kind.rawValue):\(modification.attribute)", default: []] += modification.values
        }
        try audit.append(AuditRecord(
            time: Self.now(), run: runID, event: "write", action: change.action.rawValue, dn: change.dn,
            pupil: change.pupil, reasons: change.reasons.map(\.code), result: Self.resultText(outcome),
            message: Self.message(outcome), changes: changes))
        switch outcome {
        case .succeeded:
            result.applied.append(change)
        case .failed(let error):
            result.failures.append(WriteFailure(change: change, dn: change.dn, error: error))
            if error.code.meansConnectionLost { result.connectionLost = true }
        case .skipped(let cause):
            let error = LDAPError(operation: "skipped", code: .other, diagnosticMessage: "an earlier write it needs (item \(cause)) failed", dn: change.dn)
            result.failures.append(WriteFailure(change: change, dn: change.dn, error: error))
        case .notSent:
            result.notSent.append(change)
        }
    }

    static func credentialsRow(for change: Change, password: String) -> CredentialsRow {
        func values(_ attribute: String) -> [String] {
            change.modifications.first { $0.attribute.lowercased() == attribute.lowercased() }?.values ?? []
        }
        return CredentialsRow(
            dn: change.dn, username: values(ParentAttribute.uid).first ?? "",
            givenName: values(ParentAttribute.givenName).first ?? "", familyName: values(ParentAttribute.sn).first ?? "",
            email: values(ParentAttribute.mail).first ?? "", initialPassword: password,
            children: values(ParentAttribute.misChildRef))
    }

    static func resultText(_ outcome: WriteOutcome) -> String {
        switch outcome {
        case .succeeded: "ok"
        case .failed(let error): error.code.name
        case .skipped: "skipped"
        case .notSent: "not-sent"
        }
    }

    static func message(_ outcome: WriteOutcome) -> String? {
        if case .failed(let error) = outcome, !error.diagnosticMessage.isEmpty { return error.diagnosticMessage }
        return nil
    }

    static func now() -> String {
        Timestamp.iso8601(Date())
    }
}
