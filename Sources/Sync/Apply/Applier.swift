import Directory
import Foundation
import Logging
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
    /// The managed entries as read before planning, by DN comparison key: their values go into the audit
    /// log beside each write, so that `undo` can put them back.
    public var entriesBefore: [String: Entry] = [:]
    /// Told how many of the plan's changes are written, after each batch.
    public var progress: (any RunProgress)?

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
    }

    /// Applies `plan` (its `changes`; held changes are not in them). `groupMembers` are the role group's
    /// members as read before planning.
    public func apply(_ plan: Plan, groupMembers: [String], passwordless: [Entry] = []) async throws -> ApplyResult {
        var result = ApplyResult()
        defer { progress?.end(.apply) }
        if !plan.changes.isEmpty { progress?.update(.apply, done: 0, total: plan.changes.count) }
        var group = plan.roleGroup.map { GroupWrites(dn: $0.dn, currentMembers: groupMembers) }

        // 1. Revocations, never held and never behind anything else.
        let revocations = plan.changes.filter { $0.cause == .revocation }
        try await write(revocations, into: &result)
        let revokedMembers = revocations.compactMap { $0.group?.kind == .delete ? $0.group?.member : nil }
        if var writes = group, plan.roleGroup?.create == false, let modify = writes.modify(deleting: revokedMembers, adding: []) {
            try await writeGroup(.modify(modify), into: &result)
            group = writes
        }
        guard !result.connectionLost else { return result }

        var writer: CredentialsWriter?
        // 2. Accounts an earlier run added but whose password it did not set, or did not record: first,
        // before new rounds take over the journal.
        if !passwordless.isEmpty {
            try await givePasswords(to: passwordless, into: &result, writer: &writer)
            if result.connectionLost { return result }
        }
        // 3. New accounts, each with its first password, a round at a time.
        let rest = plan.changes.filter { $0.cause != .revocation }
        let creates = rest.filter { $0.action == .create }
        for start in stride(from: 0, to: creates.count, by: createRound) {
            let round = Array(creates[start..<min(start + createRound, creates.count)])
            try await create(round, into: &result, writer: &writer)
            if result.connectionLost { return result }
        }

        // 4. Everything else.
        try await write(rest.filter { $0.action != .create }, into: &result)
        guard !result.connectionLost, let roleGroup = plan.roleGroup, var writes = group else { return result }

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
        let outcomes = try await connection.run(batch)
        for (index, outcome) in outcomes.enumerated() {
            guard let change = changeOfItem[index] else { continue }
            try record(change, outcome, into: &result)
        }
        try audit.synchronize()
        tellProgress(result)
    }

    private func tellProgress(_ result: ApplyResult) {
        guard let progress else { return }
        // The plan's changes done so far, written or failed (the role group's own writes are not changes).
        let done = result.applied.count + result.failures.filter { $0.change != nil }.count
        progress.update(.apply, done: done, total: nil)
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
        try pending.begin(planned.map(\.change.dn))
        let outcomes = try await connection.run(batch)
        var rollback = WriteBatch()
        var rows: [CredentialsRow] = []
        for item in planned {
            switch (outcomes[item.add], outcomes[item.password]) {
            case (.succeeded, .succeeded):
                try record(item.change, .succeeded, into: &result)
                rows.append(Self.credentialsRow(for: item.change, password: item.secret))
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
        if !rows.isEmpty {
            if writer == nil {
                writer = try CredentialsWriter(directory: credentialsDirectory, command: command, at: startedAt)
                result.credentialsFile = writer?.path
            }
            try writer?.append(rows)
            result.credentials += rows
        }
        try audit.synchronize()
        // Once the rows are on disk, only the accounts whose password is not known to be set stay pending.
        try pending.settle(keeping: planned.filter { !outcomes[$0.password].succeeded }.map(\.change.dn))
        tellProgress(result)
    }

    private func givePasswords(to entries: [Entry], into result: inout ApplyResult, writer: inout CredentialsWriter?) async throws {
        var batch = WriteBatch()
        var secrets: [String] = []
        for entry in entries {
            let secret = passwords.make()
            secrets.append(secret)
            batch.append(.passwordModify(PasswordModifyRequest(userDN: entry.dn, newPassword: Secret(secret))))
        }
        try pending.begin(entries.map(\.dn))
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
            case .skipped:
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
        try audit.append(AuditRecord(
            time: Self.now(), run: runID, event: "write", action: "group", dn: operation.dn, result: Self.resultText(outcome),
            message: Self.message(outcome), changes: Self.changes(of: operation), operation: operation.name))
        if case .failed(let error) = outcome {
            result.failures.append(WriteFailure(change: nil, dn: operation.dn, error: error))
            if error.code.meansConnectionLost { result.connectionLost = true }
        }
    }

    private func record(_ change: Change, _ outcome: WriteOutcome, into result: inout ApplyResult) throws {
        var changes: [String: [String]] = [:]
        for modification in change.modifications {
            changes["\(modification.kind.rawValue):\(modification.attribute)", default: []] += modification.values
        }
        let operation = ChangeWrites.operation(for: change)
        try audit.append(AuditRecord(
            time: Self.now(), run: runID, event: "write", action: change.action.rawValue, dn: change.dn,
            pupil: change.pupil, reasons: change.reasons.map(\.code), result: Self.resultText(outcome),
            message: Self.message(outcome), changes: changes, operation: operation?.name,
            before: before(change)))
        let logger = Logger.run(runID)
        logger.trace("write", metadata: [
            "action": .string(change.action.rawValue), "dn": .string(change.dn), "result": .string(Self.resultText(outcome)),
        ])
        switch outcome {
        case .succeeded:
            result.applied.append(change)
        case .failed(let error):
            logger.warning("write failed: \(error.code.name) \(error.diagnosticMessage)", metadata: [
                "action": .string(change.action.rawValue), "dn": .string(change.dn),
            ])
            result.failures.append(WriteFailure(change: change, dn: change.dn, error: error))
            if error.code.meansConnectionLost { result.connectionLost = true }
        case .skipped(let cause):
            let error = LDAPError(operation: "skipped", code: .other, diagnosticMessage: "an earlier write it needs (item \(cause)) failed", dn: change.dn)
            result.failures.append(WriteFailure(change: change, dn: change.dn, error: error))
        }
    }

    /// What `undo` needs to put the entry back: for a delete every managed attribute, for a modify the
    /// values of the attributes it touches (empty list: the attribute was absent). Nothing for an add.
    func before(_ change: Change) -> [String: [String]]? {
        guard change.action != .create, let entry = entriesBefore[GroupWrites.key(change.dn)] else { return nil }
        if change.action == .delete {
            return Dictionary(entry.attributes.map { ($0.name, $0.strings) }, uniquingKeysWith: +)
        }
        return Dictionary(change.modifications.map { ($0.attribute, entry.strings($0.attribute)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The audit form of a role group write: `kind:attribute` → values.
    static func changes(of operation: WriteOperation) -> [String: [String]] {
        switch operation {
        case .add(let request):
            Dictionary(request.attributes.map { ("add:\($0.name)", $0.strings) }, uniquingKeysWith: +)
        case .modify(let request):
            Dictionary(request.modifications.map { modification in
                let kind = switch modification.kind {
                case .add: "add"
                case .delete: "delete"
                case .replace: "replace"
                }
                return ("\(kind):\(modification.attribute)", modification.values.map { String(decoding: $0, as: UTF8.self) })
            }, uniquingKeysWith: +)
        default:
            [:]
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
