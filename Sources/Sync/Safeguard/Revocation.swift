import Directory
import Foundation
import Reconcile
import Roster

/// `ldap-sync revoke` and `restore` (DESIGN.md Part B): a school's safeguarding lead takes one child
/// link away the hour a court order arrives, before the MIS is updated, and lifts it again later.
///
/// A revoke records the restriction first and then writes the directory: if the write fails, the
/// restriction still stands and the next run removes the link; the other order could lose it.
public struct Revocation: Sendable {
    public var config: Config
    public var now: Date

    public init(config: Config, now: Date = Date()) {
        self.config = config
        self.now = now
    }

    /// What one request asks: which link, why, and who asks.
    public struct Request: Sendable {
        public var pupil: String
        public var parent: String
        public var reason: String
        public var by: String

        public init(pupil: String, parent: String, reason: String, by: String) {
            self.pupil = pupil
            self.parent = parent
            self.reason = reason
            self.by = by
        }
    }

    /// What a revoke or restore did, for the person at the keyboard.
    public struct Outcome: Sendable {
        /// The parent's entry.
        public var dn: String?
        /// The pupils the parent can still see, as the directory holds them after the command.
        public var stillLinked: [String]
        /// The account is disabled (no link left).
        public var disabled: Bool
        /// Writes that failed (exit 1).
        public var failures: [String]
        /// Something the person should know (a pupil entry that could not be found).
        public var notes: [String]
        /// What Moodle was told after the directory changed (nil when `vle.moodle` is not set).
        public var vle: MoodleSyncOutcome?

        /// Exit 1 when a write failed, else 7 when Moodle is owed calls.
        public var exitStatus: ExitStatus { failures.isEmpty ? vle?.exitStatus ?? .success : .writesFailed }

        /// The lines the command prints.
        public func text(_ request: Request, restored: Bool) -> String {
            var out = restored
                ? "Restriction lifted: \(request.parent) and \(request.pupil). The next run links them again if the MIS still grants it.\n"
                : "Revoked: \(request.parent) can no longer see \(request.pupil) (restriction recorded).\n"
            if disabled {
                out += "\(request.parent) can see no child now: the account is disabled.\n"
            } else if stillLinked.isEmpty {
                out += "\(request.parent) can see no child now.\n"
            } else {
                out += "\(request.parent) can still see: \(stillLinked.joined(separator: ", "))\n"
            }
            for failure in failures { out += "FAILED: \(failure)\n" }
            for note in notes { out += "note: \(note)\n" }
            if let vle {
                for call in vle.made { out += "Moodle: \(call.description)\n" }
                for call in vle.waiting { out += "Moodle, waiting for a first login: \(call.description)\n" }
                for problem in vle.problems { out += "MOODLE OWED: \(problem)\n" }
                for call in vle.owed { out += "MOODLE OWED (made first next run): \(call.description)\n" }
            }
            return out
        }
    }

    /// `revoke` or `restore`.
    public enum Action: Sendable { case revoke, restore }

    /// The whole command: loads the config, takes the run lock (waiting up to `timeouts.operation`, as
    /// a scheduled run may be writing), connects, and revokes or restores.
    public static func perform(_ action: Action, _ request: Request, configPath: String) async throws -> Outcome {
        let config = try ConfigLoader.load(path: configPath)
        // Moodle's settings and token are checked before anything is written (exit 2).
        let moodle = try MoodleSync.configured(config)
        let lock = try RunLock.acquire(stateDirectory: config.stateDir, timeout: Double(config.directory.timeouts.operation))
        defer { withExtendedLifetime(lock) {} }
        let revocation = Revocation(config: config)
        let connection: LDAPConnection
        do {
            connection = try await DirectorySession.open(config)
        } catch let error as DirectoryUnavailable where action == .revoke {
            // The directory is down, but the order stands: record it, so that the first run after the
            // directory is back removes the link, and say so (exit 4 all the same).
            try revocation.recordWithoutDirectory(request, error: error)
            throw RevocationError.directoryUnavailable(underlying: error, file: config.restrictionsPath)
        }
        do {
            var outcome = switch action {
            case .revoke: try await revocation.revoke(request, connection: connection)
            case .restore: try await revocation.restore(request, connection: connection)
            }
            // The directory first, then Moodle at once: the parent role for that pupil goes now, and a
            // parent left with no child is suspended (their open sessions end).
            if let moodle {
                let audit = MoodleAudit(log: try AuditLog(stateDirectory: config.stateDir), runID: SyncRun.runID(revocation.now))
                outcome.vle = await moodle.afterRevokeReportingFailure(connection, directory: config, audit: audit)
            }
            await connection.close()
            return outcome
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Records the restriction when the directory cannot be reached: the username cannot be checked, so
    /// the message asks for the command to be run again once the directory is back.
    func recordWithoutDirectory(_ request: Request, error: DirectoryUnavailable) throws {
        _ = try Self.pupilReference(request.pupil)
        try Self.requireText(request.reason, "--reason")
        try Self.requireText(request.by, "--by")
        let path = config.restrictionsPath
        _ = try PolicyFile.load(.restrictions, path: path, missingIsEmpty: true)
        let today = CalendarDate.todayUTC(now: now)
        try RestrictionsFile.append([
            "pupil": request.pupil, "parent": request.parent, "reason": request.reason, "set_by": request.by,
            "set_on": today.description,
        ], to: path)
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(
            time: SyncRun.timestamp(now), run: SyncRun.runID(now), event: "revoke", pupil: request.pupil,
            reasons: [ReasonCode.restricted.rawValue], result: "recorded, directory unavailable",
            message: "by \(request.by): \(request.reason) (\(path)); parent \(request.parent) not checked"))
        try audit.synchronize()
    }

    /// Takes the link away in the directory and records the restriction.
    public func revoke(_ request: Request, connection: LDAPConnection) async throws -> Outcome {
        let pupil = try Self.pupilReference(request.pupil)
        try Self.requireText(request.reason, "--reason")
        try Self.requireText(request.by, "--by")
        let path = config.restrictionsPath
        let rows = try PolicyFile.load(.restrictions, path: path, missingIsEmpty: true)
        let snapshot = try await DirectoryReader(config).read(from: connection)
        let current = CurrentDirectory(snapshot)
        let entry = try entry(named: request.parent, in: current)
        let today = CalendarDate.todayUTC(now: now)
        // The sources give the pupil's own entry (through its match value), and say whether a pupil the
        // parent is not linked to yet exists at all: such a link can be forbidden before a run makes it.
        let sources = SourceSet.read(config.sources)
        let isLinked = entry.misChildRef.contains(request.pupil)
        if !isLinked {
            let restricted = rows.contains { $0.rule.isActive(on: today) && matches($0.rule, pupil: pupil, entry: entry) }
            guard sources.pupilMatchValues[request.pupil] != nil, !restricted else {
                throw RevocationError.notLinked(
                    parent: request.parent, pupil: request.pupil, alreadyRestricted: restricted,
                    links: entry.misChildRef.sorted())
            }
        }

        try RestrictionsFile.append([
            "pupil": request.pupil, "parent": entry.uid, "reason": request.reason, "set_by": request.by,
            "set_on": today.description,
        ], to: path)

        let runID = SyncRun.runID(now)
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(
            time: SyncRun.timestamp(now), run: runID, event: "revoke", dn: entry.dn, pupil: request.pupil,
            reasons: [ReasonCode.restricted.rawValue], result: "recorded",
            message: "by \(request.by): \(request.reason) (\(path))"))
        guard isLinked else {
            try audit.synchronize()
            return try await outcome(of: entry.dn, connection: connection, failures: ApplyResult(), notes: [
                "\(request.parent) was not linked to \(request.pupil) yet: nothing to remove, and no run will link them",
            ])
        }

        let pupilDN = sources.pupilMatchValues[request.pupil].flatMap { snapshot.pupilDNs[$0] }
            ?? snapshot.pupilDNs[pupil.pupilID.uppercased()]
        let context = PlanContext(
            now: now, parentsBase: config.directory.parentsBase,
            activation: config.accounts.activation == .onHandover ? .onHandover : .onCreate)
        let plan = Planner.revoke(
            entry, pupil: request.pupil, pupilDN: pupilDN, reasons: [.restricted], current: current, context: context)
        let applier = Applier(
            connection: connection, audit: audit, runID: runID, credentialsDirectory: config.accounts.credentialsDir,
            command: "revoke", startedAt: now, stateDirectory: config.stateDir,
            firstPasswords: FirstPasswordWrites(config.accounts))
        let result = try await applier.apply(plan, groupMembers: snapshot.roleGroup?.members ?? [])
        try audit.synchronize()

        var notes: [String] = []
        if pupilDN == nil, !entry.misChild.isEmpty, entry.misChildRef.count > 1 {
            notes.append("the pupil's own directory entry was not found (its source unreadable?): its misChild value, "
                + "if any, goes at the next run")
        }
        return try await outcome(of: entry.dn, connection: connection, failures: result, notes: notes)
    }

    /// Lifts the restrictions in force on this link: their `ends_on` becomes today. The directory is
    /// not written: the next run links again if the MIS still grants it.
    public func restore(_ request: Request, connection: LDAPConnection) async throws -> Outcome {
        let pupil = try Self.pupilReference(request.pupil)
        try Self.requireText(request.reason, "--reason")
        try Self.requireText(request.by, "--by")
        // The school's file and the one in state_dir (earlier revokes), each checked before either is written.
        let paths = Array(Set([config.restrictionsPath, config.stateRestrictionsPath])).sorted()
        var rowsOfFile: [String: [PolicyFile.Row]] = [:]
        for path in paths {
            rowsOfFile[path] = try PolicyFile.load(
                .restrictions, path: path, missingIsEmpty: path != config.policy.restrictions)
        }
        let snapshot = try await DirectoryReader(config).read(from: connection)
        let entry = try entry(named: request.parent, in: CurrentDirectory(snapshot))
        let today = CalendarDate.todayUTC(now: now)
        var lifted: [PolicyFile.Row] = []
        for path in paths {
            let rows = (rowsOfFile[path] ?? []).filter {
                $0.rule.isActive(on: today) && $0.rule.pupil == pupil && matches($0.rule, pupil: pupil, entry: entry)
            }
            guard !rows.isEmpty else { continue }
            try RestrictionsFile.lift(lines: Set(rows.map(\.line)), on: today, in: path)
            lifted += rows
        }
        guard !lifted.isEmpty else {
            throw RevocationError.notRestricted(parent: request.parent, pupil: request.pupil, file: paths.joined(separator: ", "))
        }
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(
            time: SyncRun.timestamp(now), run: SyncRun.runID(now), event: "restore", dn: entry.dn, pupil: request.pupil,
            reasons: [ReasonCode.restricted.rawValue], result: "lifted",
            message: "by \(request.by): \(request.reason) (\(lifted.map(\.rule.origin).joined(separator: ", ")))"))
        try audit.synchronize()
        return try await outcome(of: entry.dn, connection: connection, failures: ApplyResult(), notes: [])
    }

    /// Whether a restriction row names this entry's person (by username or one of its records) for the pupil.
    func matches(_ rule: LinkRule, pupil: PupilReference, entry: CurrentParent) -> Bool {
        guard rule.pupil == nil || rule.pupil == pupil else { return false }
        switch rule.person {
        case .username(let name): return name.lowercased() == entry.uid.lowercased()
        case .contact(let reference): return entry.misContactRef.contains(reference.description)
        }
    }

    func entry(named name: String, in current: CurrentDirectory) throws -> CurrentParent {
        guard let entry = current.parents.first(where: { $0.uid.lowercased() == name.lowercased() }) else {
            throw RevocationError.unknownParent(name: name, base: config.directory.parentsBase)
        }
        return entry
    }

    /// The directory's view after the command: what the parent can still see.
    func outcome(of dn: String, connection: LDAPConnection, failures result: ApplyResult, notes: [String]) async throws -> Outcome {
        let entries = try await connection.searchAll(SearchRequest(
            base: dn, scope: .base, rawFilter: "(objectClass=*)", attributes: ["misChildRef", "misAccountStatus"], pageSize: 0))
        let entry = entries.first
        return Outcome(
            dn: dn, stillLinked: (entry?.strings("misChildRef") ?? []).sorted(),
            disabled: entry?.string("misAccountStatus")?.lowercased() == AccountStatus.disabled.rawValue,
            failures: result.failures.map { "\($0.dn): \($0.error)" }, notes: notes)
    }

    static func pupilReference(_ text: String) throws -> PupilReference {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw RevocationError.badPupil(text)
        }
        return PupilReference(schoolID: String(parts[0]), pupilID: String(parts[1]))
    }

    static func requireText(_ text: String, _ option: String) throws {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw RevocationError.blank(option) }
    }
}

extension DirectoryReader {
    /// The reader of the config's directory layout.
    public init(_ config: Config) {
        self.init(
            parentsBase: config.directory.parentsBase, pupilsBase: config.directory.pupilsBase,
            pupilMatchAttribute: config.directory.pupilMatchAttribute, parentGroup: config.directory.parentGroup,
            usernameScope: config.directory.usernameScope)
    }
}

/// Why a revoke or restore was refused: nothing was written (exit 2).
public enum RevocationError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    case badPupil(String)
    case blank(String)
    case unknownParent(name: String, base: String)
    case notLinked(parent: String, pupil: String, alreadyRestricted: Bool, links: [String])
    case notRestricted(parent: String, pupil: String, file: String)
    case directoryUnavailable(underlying: DirectoryUnavailable, file: String)

    public var exitStatus: ExitStatus {
        if case .directoryUnavailable = self { return .directoryUnavailable }
        return .inputError
    }

    public var description: String {
        switch self {
        case .badPupil(let text):
            "--pupil \"\(text)\" is not a pupil reference: give <school_id>/<pupil_id>, e.g. 5301234/P1001"
        case .blank(let option):
            "\(option) is blank: the restrictions file records who acted and why"
        case .unknownParent(let name, let base):
            "unknown parent \"\(name)\": no managed account with that username under \(base)"
        case .notLinked(let parent, let pupil, let restricted, let links):
            restricted
                ? "\(parent) is not linked to \(pupil): a restriction is already in force; nothing to do"
                : "unknown pupil \(pupil): no source lists it, and \(parent) has no link to it (their links: "
                    + (links.isEmpty ? "none" : links.joined(separator: ", ")) + ")"
        case .notRestricted(let parent, let pupil, let file):
            "no restriction in force for \(parent) and \(pupil) in \(file); nothing to lift"
        case .directoryUnavailable(let underlying, let file):
            "\(underlying). The restriction is recorded in \(file), so the next run that reaches the directory "
                + "removes the link; the username could not be checked: run revoke again when the directory is back"
        }
    }
}
