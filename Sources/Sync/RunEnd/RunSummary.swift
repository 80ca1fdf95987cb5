import Foundation
import Reconcile

/// How a run ended, whatever happened: the one summary line, the metrics file and the notification
/// are all made from this. A run stopped by an error (bind refused, lock held, bad config) has one too,
/// with its exit code and no counts.
public struct RunSummary: Sendable {
    /// `plan` or `apply`.
    public var command: String
    /// The run id (the audit log's `run`, the credentials file's time).
    public var runID: String
    public var startedAt: Date
    public var duration: TimeInterval = 0
    public var exitCode: Int32
    /// Changes written (apply) or planned (plan), by action.
    public var changes: [ChangeAction: Int] = [:]
    public var unchanged = 0
    /// What the safety gates held.
    public var held: [HeldChange] = []
    public var failures: [WriteFailure] = []
    /// Revocations the run carried out (or tried to: a failed one is also among `failures`).
    public var revocations: [Change] = []
    /// Link records per school in the sources read this run.
    public var sourceRecords: [String: Int] = [:]
    /// Calls owed to the VLE and not yet made (kept for the next run).
    public var vleCallsOwed = 0
    /// Whether a VLE is configured: only then does the line say how many calls it is owed.
    public var hasVLE = false
    /// The error that stopped the run, in words.
    public var error: String?
    /// The config file, when it was given.
    public var configFile: String?

    /// A run that has not got anywhere yet: exit 2 until something says otherwise.
    public init(command: String, runID: String, startedAt: Date, exitCode: Int32 = ExitStatus.inputError.rawValue) {
        self.command = command
        self.runID = runID
        self.startedAt = startedAt
        self.exitCode = exitCode
    }

    /// An apply that got as far as writing.
    public init(apply outcome: ApplyOutcome, startedAt: Date, duration: TimeInterval, configFile: String?) {
        self.init(command: "apply", runID: outcome.runID, startedAt: startedAt, exitCode: outcome.exitStatus.rawValue)
        self.duration = duration
        for change in outcome.result.applied { changes[change.action, default: 0] += 1 }
        unchanged = outcome.plan.summary.unchanged
        held = outcome.plan.held
        failures = outcome.result.failures
        revocations = outcome.plan.changes.filter { $0.cause == .revocation }
        sourceRecords = outcome.sourceRecords
        vleCallsOwed = outcome.vleCallsOwed
        hasVLE = outcome.vle != nil
        error = outcome.sourceErrors.isEmpty ? nil : outcome.sourceErrors.joined(separator: "\n")
        self.configFile = configFile
    }

    /// A plan: the counts are what apply would do.
    public init(plan prepared: PreparedRun, runID: String, startedAt: Date, duration: TimeInterval, exitCode: Int32, configFile: String?) {
        self.init(command: "plan", runID: runID, startedAt: startedAt, exitCode: exitCode)
        self.duration = duration
        for change in prepared.plan.changes { changes[change.action, default: 0] += 1 }
        unchanged = prepared.plan.summary.unchanged
        held = prepared.plan.held
        revocations = prepared.plan.changes.filter { $0.cause == .revocation }
        sourceRecords = prepared.sources.recordsPerSchool
        self.configFile = configFile
    }

    /// True when exit 0: the time of the last success in the metrics moves only then.
    public var succeeded: Bool { exitCode == ExitStatus.success.rawValue }

    /// Held changes per gate, every gate present.
    public var heldPerGate: [SafetyGate: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SafetyGate.allCases.map { ($0, 0) })
        for item in held { counts[item.gate, default: 0] += 1 }
        return counts
    }

    /// Whoever must know of this run at once (`notify_command`): a child link was revoked, something was
    /// held or a write failed, or the run could not write at all. Not a run that found the lock taken:
    /// the run holding it tells what it does.
    public var needsTelling: Bool {
        !revocations.isEmpty || !held.isEmpty || !failures.isEmpty
            || (exitCode != ExitStatus.success.rawValue && exitCode != ExitStatus.locked.rawValue)
    }

    /// `ldap-sync apply 20261129T131500Z-4242: create 3, update 0, …, unchanged 40, held 0, failed 0,
    /// 1.2 s, exit 0`: one line for logs and monitoring.
    public var line: String {
        let actions = ChangeAction.allCases.map { "\($0.rawValue) \(changes[$0] ?? 0)" }.joined(separator: ", ")
        return "ldap-sync \(command) \(runID): \(actions), unchanged \(unchanged), held \(held.count), "
            + "failed \(failures.count), " + (hasVLE ? "vle owed \(vleCallsOwed), " : "") + String(format: "%.1f s", duration) + ", exit \(exitCode)"
    }
}
