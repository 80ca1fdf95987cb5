import Directory
import Foundation

/// What one pass of the connector did.
public struct MoodleSyncOutcome: Sendable, Equatable {
    /// Calls Moodle accepted.
    public var made: [MoodleCall] = []
    /// Calls Moodle could not be given (down, refusing): kept in `state_dir`, retried first next run.
    public var owed: [MoodleCall] = []
    /// Assignments waiting for the parent's (or pupil's) first Moodle login: not an error.
    public var waiting: [MoodleCall] = []
    /// Why calls are owed, one line each (never the token).
    public var problems: [String] = []

    /// `ldap_sync_vle_calls_owed`.
    public var callsOwed: Int { owed.count }
    /// Exit 7 when calls are owed or Moodle could not be told at all.
    public var exitStatus: ExitStatus { owed.isEmpty && problems.isEmpty ? .success : .vleOwed }

    public init() {}
}

/// Tells Moodle what the directory now says. Run after the directory is written (every `apply`, every
/// `revoke` and `restore`): Moodle's own LDAP sync would bring back a user suspended while the directory
/// still let them in.
public struct MoodleSync: Sendable {
    public var config: MoodleConfig
    public var client: MoodleClient
    public var stateDirectory: String
    /// Users per look-up and assignments per call: Moodle takes lists, and a URL-encoded form of a few
    /// hundred items stays well under PHP's `max_input_vars` (1000 by default: 4 fields per assignment).
    public var batchSize = 200

    /// Checks the settings and reads the token (throws `MoodleError` with exit 2 when they are wrong).
    public init(_ config: MoodleConfig, stateDirectory: String, timeouts: DirectoryConfig.Timeouts = .init()) throws {
        self.config = config
        self.client = MoodleClient(endpoint: try MoodleEndpoint(config, connectTimeout: timeouts.connect, timeout: timeouts.operation))
        self.stateDirectory = stateDirectory
    }

    /// The connector of a config, nil when `vle.moodle` is not set.
    public static func configured(_ config: Config) throws -> MoodleSync? {
        try config.vle.moodle.map { try MoodleSync($0, stateDirectory: config.stateDir, timeouts: config.directory.timeouts) }
    }

    /// Reads the directory, then makes the calls Moodle is owed. Call it after every `apply`.
    public func afterApply(_ connection: LDAPConnection, directory: Config, audit: MoodleAudit? = nil) async throws -> MoodleSyncOutcome {
        let view = try await MoodleDirectoryReader(directory, pupilMatch: config.pupilMatch).view(connection)
        return try await sync(view, audit: audit)
    }

    /// The same after a `revoke` or `restore` (one link changed in the directory at once): the whole
    /// directory is compared, so calls owed from earlier runs go too.
    public func afterRevoke(_ connection: LDAPConnection, directory: Config, audit: MoodleAudit? = nil) async throws -> MoodleSyncOutcome {
        try await afterApply(connection, directory: directory, audit: audit)
    }

    /// Makes Moodle follow `view`, records what was done in `state_dir`.
    public func sync(_ view: MoodleView, audit: MoodleAudit? = nil) async throws -> MoodleSyncOutcome {
        var state = try MoodleState.load(stateDirectory: stateDirectory)
        let calls = MoodlePlanner.calls(view: view, state: state, config: config)
        var outcome = MoodleSyncOutcome()
        var remaining = calls[...]
        var stopped: MoodleError?
        // Owed calls were sorted first; batches never mix them with new ones, so they go first.
        let owedKeys = Set(state.owed.map(\.key))
        while let first = remaining.first, stopped == nil {
            let wasOwed = owedKeys.contains(first.key)
            let batch = Array(remaining.prefix { $0.kind == first.kind && owedKeys.contains($0.key) == wasOwed }.prefix(batchSize))
            remaining = remaining.dropFirst(batch.count)
            do {
                try await make(batch, &state, &outcome)
            } catch let error as MoodleError where batch.count > 1 && !error.stopsTheRun {
                // One refused item fails the whole call (Moodle makes a list in one transaction): try them
                // one by one, so one bad pair does not hold up the rest.
                for call in batch {
                    do {
                        try await make([call], &state, &outcome)
                    } catch let error as MoodleError {
                        outcome.owed.append(call)
                        outcome.problems.append("\(call.description): \(error)")
                        if error.stopsTheRun { stopped = error; break }
                    }
                }
            } catch let error as MoodleError {
                outcome.owed += batch
                if error.stopsTheRun { stopped = error } else { outcome.problems.append("\(batch[0].description): \(error)") }
            }
            try state.save(stateDirectory: stateDirectory)
        }
        if let stopped {
            outcome.owed += remaining
            outcome.problems.insert(stopped.description, at: 0)
        }
        // Exactly what this run could not make: a later run plans afresh and may need less.
        state.owed = outcome.owed
        state.waiting = outcome.waiting
        try state.save(stateDirectory: stateDirectory)
        try audit?.record(outcome)
        return outcome
    }

    /// One call to Moodle for a batch of the same kind, with the look-ups it needs; updates `state`.
    private func make(_ batch: [MoodleCall], _ state: inout MoodleState, _ outcome: inout MoodleSyncOutcome) async throws {
        guard let kind = batch.first?.kind else { return }
        switch kind {
        case .suspend, .unsuspend:
            let users = try await lookUp("username", batch.map(\.parent))
            let present = batch.filter { users[$0.parent] != nil }
            if !present.isEmpty {
                try await client.setSuspended(present.map { (id: users[$0.parent]!.id, suspended: kind == .suspend) })
            }
            for call in batch {
                // A parent not in Moodle needs no suspension: they cannot log in to be created while disabled.
                if kind == .suspend { state.suspended.insert(call.parent) } else { state.suspended.remove(call.parent) }
                if users[call.parent] != nil { outcome.made.append(call) }
            }
        case .unassign:
            let assignments = batch.compactMap { call -> MoodleRoleAssignment? in
                guard let parentID = call.parentID, let pupilID = call.pupilID else { return nil }
                return MoodleRoleAssignment(roleID: call.roleID ?? config.parentRoleID, userID: parentID, pupilID: pupilID)
            }
            try await client.unassign(assignments)
            let gone = Set(batch.compactMap { call in call.pupil.map { MoodlePair(parent: call.parent, pupil: $0) } })
            state.assigned.removeAll { gone.contains($0.pair) }
            outcome.made += batch
        case .assign:
            let parents = try await lookUp("username", batch.map(\.parent))
            let pupils = try await lookUp(config.pupilMatch.rawValue, batch.compactMap(\.pupil))
            var ready: [(MoodleCall, MoodleRoleAssignment)] = []
            for call in batch {
                guard let parent = parents[call.parent], let pupil = call.pupil.flatMap({ pupils[$0] }) else {
                    outcome.waiting.append(call)
                    continue
                }
                ready.append((call, MoodleRoleAssignment(roleID: config.parentRoleID, userID: parent.id, pupilID: pupil.id)))
            }
            guard !ready.isEmpty else { return }
            try await client.assign(ready.map(\.1))
            for (call, assignment) in ready {
                state.assigned.append(.init(
                    pair: MoodlePair(parent: call.parent, pupil: call.pupil!), parentID: assignment.userID, pupilID: assignment.pupilID,
                    roleID: assignment.roleID, pupilMatch: config.pupilMatch.rawValue))
                outcome.made.append(call)
            }
        }
    }

    /// The Moodle users whose `field` is one of `values`, by that value as ldap-sync writes it.
    private func lookUp(_ field: String, _ values: [String]) async throws -> [String: MoodleUser] {
        var found: [String: MoodleUser] = [:]
        let unique = Array(Set(values)).sorted()
        for start in stride(from: 0, to: unique.count, by: batchSize) {
            let chunk = Array(unique[start..<min(start + batchSize, unique.count)])
            for user in try await client.users(where: field, in: chunk) {
                let key = field == "username" ? user.username.lowercased() : field == "idnumber" ? user.idnumber.uppercased() : user.username
                found[key] = user
            }
        }
        return found
    }
}

extension MoodleSync {
    /// `afterApply` for a command whose directory part is done: a failure is reported in the outcome
    /// (exit 7, the owed calls kept from before), never thrown, so the directory's result still stands.
    public func afterApplyReportingFailure(_ connection: LDAPConnection, directory: Config, audit: MoodleAudit? = nil) async -> MoodleSyncOutcome {
        do {
            return try await afterApply(connection, directory: directory, audit: audit)
        } catch {
            var outcome = MoodleSyncOutcome()
            outcome.owed = (try? MoodleState.load(stateDirectory: stateDirectory).owed) ?? []
            outcome.problems = ["Moodle was not told this run: \(error)"]
            return outcome
        }
    }
}

extension MoodleSync {
    /// `afterApplyReportingFailure` after `revoke` or `restore`: one link changed in the directory at once.
    public func afterRevokeReportingFailure(_ connection: LDAPConnection, directory: Config, audit: MoodleAudit? = nil) async -> MoodleSyncOutcome {
        await afterApplyReportingFailure(connection, directory: directory, audit: audit)
    }
}
