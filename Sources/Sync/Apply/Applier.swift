import Directory
import Foundation
import Logging
import Reconcile

/// A round's first passwords and, when we hash, their hashes in the same order.
struct FirstPasswords: Sendable {
    var secrets: [String]
    var hashes: [String]?
}

/// An existing account to get a new first password: its credentials row (without the password), and
/// whether it must stay locked afterwards (a pending account).
public struct PasswordTarget: Sendable {
    public var row: CredentialsRow
    public var keepLocked: Bool
}

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
    /// How a password reaches the server (exop or our hash) and whether it must be changed at first login.
    public var firstPasswords: FirstPasswordWrites
    /// `accounts.reissue_on_enable`: the accounts the plan enables, keyed by `GroupWrites.key(dn)`; each
    /// gets a new first password before it is enabled.
    public var reissueOnEnable: [String: PasswordTarget] = [:]
    /// Where the journal and the audit log live (checked for room before accounts are created).
    public var stateDirectory: String
    /// A stop asked for by a signal: no new write starts once it is set.
    public var stop = StopRequest()

    public init(
        connection: LDAPConnection, audit: AuditLog, runID: String, credentialsDirectory: String, command: String,
        startedAt: Date, stateDirectory: String, firstPasswords: FirstPasswordWrites
    ) {
        self.firstPasswords = firstPasswords
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
        guard !result.connectionLost, !stopping(&result) else { return result }

        var writer: CredentialsWriter?
        // A file made ready for a round that then created nobody is not left behind empty.
        defer { if let writer, result.credentials.isEmpty { try? FileManager.default.removeItem(atPath: writer.path) } }
        // 2. Accounts an earlier run added but whose password it did not set, or did not record: first,
        // before new rounds take over the journal.
        if !passwordless.isEmpty {
            let rows = passwordless.map { PasswordTarget(row: Self.credentialsRow(for: $0), keepLocked: Self.isLocked($0)) }
            do {
                try StorageRoom.ensure(passwordless.count * StorageRoom.bytesPerAccount, in: credentialsDirectory, purpose: "first passwords")
                try await setPasswords(rows, action: "first-password", message: "the account had no password", into: &result, writer: &writer)
            } catch let problem as StorageProblem {
                result.storageProblem = problem.description
            }
            if result.connectionLost || stopping(&result) { return result }
        }
        // 3. New accounts, each with its first password, a round at a time. When we hash, the next
        // round's hashes are made while this round's writes are on the wire. Before each round, the
        // journal and the credentials file must have room: an account is never made whose password
        // could not then be stored.
        let rest = plan.changes.filter { $0.cause != .revocation }
        let creates = rest.filter { $0.action == .create }
        let rounds = stride(from: 0, to: creates.count, by: createRound).map { Array(creates[$0..<min($0 + createRound, creates.count)]) }
        var next = rounds.first.map { firstPasswordsTask(count: $0.count) }
        for (index, round) in rounds.enumerated() {
            let secrets = try await next!.value
            next = index + 1 < rounds.count ? firstPasswordsTask(count: rounds[index + 1].count) : nil
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
                    try await create(round, secrets: secrets, into: &result, writer: &writer)
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
            if result.connectionLost || stopping(&result) {
                next?.cancel()
                return result
            }
        }

        // 4. Accounts enabled again get a new first password before they are unlocked, so the old one
        // (which a parent may have lost, or shared) never opens the account again. An enable whose
        // password could not be set is not written: the account stays locked and the next run tries again.
        let reissues = rest.filter { $0.action == .enable }.compactMap { reissueOnEnable[GroupWrites.key($0.dn)] }
        var notEnabled = Set<String>()
        if !reissues.isEmpty {
            let set = try await setPasswords(reissues, action: "reissue", message: "enabled again", into: &result, writer: &writer)
            if result.connectionLost || stopping(&result) { return result }
            notEnabled = Set(reissues.map { GroupWrites.key($0.row.dn) }).subtracting(set.map(GroupWrites.key))
        }
        for change in rest where change.action == .enable && notEnabled.contains(GroupWrites.key(change.dn)) {
            let error = LDAPError(operation: "skipped", code: .other, diagnosticMessage: "its new first password could not be set", dn: change.dn)
            try record(change, .failed(error), into: &result)
        }

        // 5. Everything else.
        let reissued = Set(reissues.map { GroupWrites.key($0.row.dn) }).subtracting(notEnabled)
        try await write(rest.filter { $0.action != .create && !notEnabled.contains(GroupWrites.key($0.dn)) }, passwordJustSet: reissued, into: &result)
        guard !result.connectionLost, !stopping(&result), let roleGroup = plan.roleGroup, var writes = group else { return result }

        // 6. The role group: only accounts that now exist join it, and only for changes being applied
        // (a plan cut down to its revocations still carries the full group plan).
        // An account whose create or enable failed (or was not written) does not join.
        let failedCreates = Set(result.failures.compactMap { failure in
            failure.change.flatMap { $0.action == .create || $0.action == .enable ? GroupWrites.key(failure.dn) : nil }
        })
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

    /// Writes changes that need one operation each, pipelined. `passwordJustSet`: entries (by
    /// `GroupWrites.key`) whose enable follows a new password, which already removed the lock.
    private func write(_ changes: [Change], passwordJustSet: Set<String> = [], into result: inout ApplyResult) async throws {
        var batch = WriteBatch()
        var changeOfItem: [Int: Change] = [:]
        for change in changes {
            if var operation = ChangeWrites.operation(for: change) {
                if change.action == .enable, passwordJustSet.contains(GroupWrites.key(change.dn)) {
                    operation = ChangeWrites.unlockAfterNewPassword(operation)
                }
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
        tellProgress(result)
    }

    private func tellProgress(_ result: ApplyResult) {
        guard let progress else { return }
        // The plan's changes done so far, written or failed (the role group's own writes are not changes).
        let done = result.applied.count + result.failures.filter { $0.change != nil }.count
        progress.update(.apply, done: done, total: nil)
    }

    /// Adds each new account with its first password: in the add itself when we hash, else by Password
    /// Modify right after it so the server hashes. An account whose password could not be set is deleted
    /// again: none is left that nobody can log in to.
    private func create(
        _ changes: [Change], secrets prepared: FirstPasswords, into result: inout ApplyResult, writer: inout CredentialsWriter?
    ) async throws {
        let items = changes.compactMap { change in ChangeWrites.operation(for: change).map { (change, $0) } }
        let (secrets, hashes) = (prepared.secrets, prepared.hashes)
        var batch = WriteBatch()
        var planned: [(change: Change, add: Int, password: [Int], secret: String)] = []
        for (index, (change, operation)) in items.enumerated() {
            let hash = hashes?[index]
            var add = operation
            if case .add(var request) = operation {
                request.attributes += firstPasswords.addAttributes(hash: hash)
                add = .add(request)
            }
            let addIndex = batch.append(add)
            let pending = change.modifications.contains { $0.attribute == ParentAttribute.pwdAccountLockedTime }
            let password = firstPasswords.append(
                secret: secrets[index], hash: hash, dn: change.dn, created: true, keepLocked: pending, to: &batch, after: [addIndex])
            planned.append((change, addIndex, password, secrets[index]))
        }
        do {
            try pending.begin(planned.map(\.change.dn))
        } catch {
            throw StorageProblem(directory: stateDirectory, purpose: "the password journal", reason: "\(error.localizedDescription)")
        }
        let outcomes = try await connection.run(batch, stopRequested: { [stop] in stop.isRequested })
        // The passwords go on disk before anything else is written (the audit log may be the thing
        // that fills the disk): an account that exists has its password stored first.
        let rows = planned.filter { item in outcomes[item.add].succeeded && item.password.allSatisfy { outcomes[$0].succeeded } }
            .map { Self.credentialsRow(for: $0.change, password: $0.secret) }
        try record(rows, into: &result, writer: &writer)
        var rollback = WriteBatch()
        for item in planned {
            let failedPassword = item.password.map { outcomes[$0] }.first { !$0.succeeded }
            switch (outcomes[item.add], failedPassword) {
            case (.succeeded, nil):
                try record(item.change, .succeeded, into: &result)
            case (.succeeded, let passwordOutcome?):
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
        // Once the rows are on disk, only the accounts whose password is not known to be set stay pending
        // (an add whose answer was lost may have happened, with its password).
        let known = Set(rows.map { GroupWrites.key($0.dn) })
        try pending.settle(keeping: planned.map(\.change.dn).filter { !known.contains(GroupWrites.key($0)) })
        tellProgress(result)
    }

    /// `count` new first passwords and, when we hash, their hashes, made off the caller's task.
    private func firstPasswordsTask(count: Int) -> Task<FirstPasswords, Error> {
        let (generator, writes) = (passwords, firstPasswords)
        return Task.detached {
            let secrets = (0..<count).map { _ in generator.make() }
            return FirstPasswords(secrets: secrets, hashes: try writes.hashes(secrets))
        }
    }

    /// Gives existing accounts a new first password each (and `pwdReset` as configured), writes their
    /// credentials rows, and returns the DNs whose password is set. `rows` carry everything but the password.
    /// The journal names the accounts first, so a run that dies half-way leaves them for the next to repair.
    @discardableResult
    func setPasswords(
        _ targets: [PasswordTarget], action: String, message: String, into result: inout ApplyResult,
        writer: inout CredentialsWriter?
    ) async throws -> [String] {
        let rows = targets.map(\.row)
        let secrets = rows.map { _ in passwords.make() }
        let hashes = try firstPasswords.hashes(secrets)
        var batch = WriteBatch()
        var writes: [[Int]] = []
        for (index, target) in targets.enumerated() {
            writes.append(firstPasswords.append(
                secret: secrets[index], hash: hashes?[index], dn: target.row.dn, created: false, keepLocked: target.keepLocked,
                to: &batch, after: []))
        }
        do {
            try pending.begin(rows.map(\.dn))
        } catch {
            throw StorageProblem(directory: stateDirectory, purpose: "the password journal", reason: "\(error.localizedDescription)")
        }
        let outcomes = try await connection.run(batch, stopRequested: { [stop] in stop.isRequested })
        var done: [CredentialsRow] = []
        for (index, row) in rows.enumerated() {
            let outcome = writes[index].map { outcomes[$0] }.first { !$0.succeeded } ?? .succeeded
            try audit.append(AuditRecord(
                time: Self.now(), run: runID, event: "write", action: action, dn: row.dn,
                result: Self.resultText(outcome), message: Self.message(outcome) ?? message))
            switch outcome {
            case .succeeded:
                var row = row
                row.initialPassword = secrets[index]
                done.append(row)
            case .failed(let error):
                result.failures.append(WriteFailure(change: nil, dn: row.dn, error: error))
                if error.code.meansConnectionLost { result.connectionLost = true }
            case .skipped, .notSent:
                break
            }
        }
        try record(done, into: &result, writer: &writer)
        try audit.synchronize()
        let set = Set(done.map { GroupWrites.key($0.dn) })
        try pending.settle(keeping: rows.map(\.dn).filter { !set.contains(GroupWrites.key($0)) })
        return done.map(\.dn)
    }

    /// Appends rows to the run's credentials file, creating it with the first rows.
    private func record(_ rows: [CredentialsRow], into result: inout ApplyResult, writer: inout CredentialsWriter?) throws {
        guard !rows.isEmpty else { return }
        if writer == nil {
            writer = try CredentialsWriter(directory: credentialsDirectory, command: command, at: startedAt)
        }
        try writer?.append(rows)
        if result.credentialsFile == nil { result.credentialsFile = writer?.path }
        result.credentials += rows
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
            message: Self.message(outcome), changes: changes, operation: ChangeWrites.operationName(for: change),
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
        case .notSent:
            result.notSent.append(change)
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

    /// Whether the entry holds the disable lock (a pending account, here).
    static func isLocked(_ entry: Entry) -> Bool {
        entry.strings(ParentAttribute.pwdAccountLockedTime).contains(ParentAttribute.permanentLock)
    }

    /// An existing entry's credentials row, without its password.
    static func credentialsRow(for entry: Entry) -> CredentialsRow {
        CredentialsRow(
            dn: entry.dn, username: entry.string(ParentAttribute.uid) ?? "", givenName: entry.string(ParentAttribute.givenName) ?? "",
            familyName: entry.string(ParentAttribute.sn) ?? "", email: entry.string(ParentAttribute.mail) ?? "",
            initialPassword: "", children: entry.strings(ParentAttribute.misChildRef).sorted())
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
