import Directory
import Foundation

/// Says in the config's own words why the directory failed a run: which timeout ran out, or that the
/// server went away and did not come back within the retries. One line for a person and for a log.
public enum DirectoryFault {
    /// What went wrong, from the error the connection reported.
    public static func explain(_ error: LDAPError, _ settings: DirectoryConfig, during phase: Phase) -> String {
        let said = error.diagnosticMessage.isEmpty ? "\(error.code)" : "\(error.code): \(error.diagnosticMessage)"
        if error.code == .timeout, error.diagnosticMessage.contains("time limit") {
            return "the run took longer than directory.timeouts.run (\(settings.timeouts.run) s) and stopped; "
                + "the next run carries on (\(said))"
        }
        switch phase {
        case .connect where error.code == .timeout:
            return "\(settings.url) accepted the connection but did not answer the bind within "
                + "directory.timeouts.operation (\(settings.timeouts.operation) s) (\(said))"
        case .connect:
            return "cannot reach \(settings.url) (no connection within directory.timeouts.connect, "
                + "\(settings.timeouts.connect) s, or refused) (\(said))"
        case .run where error.code == .timeout:
            return "\(settings.url) did not answer within directory.timeouts.operation (\(settings.timeouts.operation) s), "
                + "and did not come back within directory.retries (\(settings.retries)) (\(said))"
        case .run:
            return "the connection to \(settings.url) was lost and it did not come back within directory.retries "
                + "(\(settings.retries)) (\(said))"
        }
    }

    public enum Phase: Sendable {
        /// Connecting and binding.
        case connect
        /// Reading or writing once connected.
        case run
    }
}
