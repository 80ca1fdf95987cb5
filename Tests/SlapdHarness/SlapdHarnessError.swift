import Foundation

/// Why the test slapd could not be started, seeded or queried, with what a person needs to see why.
public enum SlapdHarnessError: Error, CustomStringConvertible {
    /// A command-line tool the harness drives is not installed.
    case toolMissing(path: String)
    /// A tool ran but failed; `stderr` is what it said.
    case toolFailed(tool: String, arguments: [String], status: Int32, stderr: String)
    /// The schema file could not be read.
    case schemaMissing(path: String)
    /// slapd exited while starting; the tail of its log says why.
    case slapdExited(status: Int32, logFile: String, logTail: String)
    /// slapd did not answer in time.
    case slapdNotReady(seconds: Double, logFile: String, logTail: String)
    /// A system call failed.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .toolMissing(let path):
            "\(path) is not installed (apt-get install slapd ldap-utils openssl; see .ci/run)"
        case .toolFailed(let tool, let arguments, let status, let stderr):
            "\(tool) \(arguments.joined(separator: " ")) exited with \(status): \(stderr)"
        case .schemaMissing(let path):
            "cannot read the ldap-sync schema at \(path)"
        case .slapdExited(let status, let logFile, let logTail):
            "slapd exited with \(status) while starting (log: \(logFile)):\n\(logTail)"
        case .slapdNotReady(let seconds, let logFile, let logTail):
            "slapd did not answer within \(seconds) s (log: \(logFile)):\n\(logTail)"
        case .system(let call, let errno):
            "\(call) failed: \(String(cString: strerror(errno)))"
        }
    }
}
