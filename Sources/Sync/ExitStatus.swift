import Foundation

/// The exit codes of DESIGN.md Part B. Scripts and monitoring depend on these numbers: they only grow.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done, no errors.
    case success = 0
    /// Done, but some writes failed (listed).
    case writesFailed = 1
    /// Usage, config or input error: nothing was written, except revocations from readable sources.
    case inputError = 2
    /// Held by a safety limit: the held changes were not written; revocations and the rest were.
    case held = 3
    /// Directory unreachable, or bind refused.
    case directoryUnavailable = 4
    /// Another run holds the lock.
    case locked = 5
    /// A saved plan is stale.
    case stalePlan = 6
    /// The directory is done, but calls owed to the VLE could not be made.
    case vleOwed = 7
    /// Stopped by SIGINT (128 + 2) after the write in flight, with the audit log written.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15), as systemd stops a unit, after the write in flight, with the audit
    /// log written.
    case terminated = 143

    /// Where several apply, the first in this order wins (DESIGN.md Part B).
    /// A stop by signal comes first: the run did not finish, whatever else it found on the way.
    static let precedence: [ExitStatus] = [
        .terminated, .interrupted, .inputError, .directoryUnavailable, .locked, .stalePlan, .writesFailed, .held, .vleOwed, .success,
    ]

    /// The status that wins when several outcomes of one run apply.
    public static func combined(_ statuses: some Sequence<ExitStatus>) -> ExitStatus {
        let present = Set(statuses)
        return precedence.first { present.contains($0) } ?? .success
    }
}

/// An error that knows which exit status it means. Errors that do not conform exit with 2.
public protocol ExitStatusProviding: Error {
    var exitStatus: ExitStatus { get }
}

extension ExitStatus {
    /// The status of a run stopped by `signal` (128 + n), for the signals a run stops cleanly on.
    public static func stopped(by signal: Int32) -> ExitStatus {
        signal == SIGINT ? .interrupted : .terminated
    }
}
