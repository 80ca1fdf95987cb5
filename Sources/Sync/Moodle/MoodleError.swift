import Foundation

/// What can go wrong between ldap-sync and Moodle. Each names the setting or the function involved, in
/// the one line a person reads; none ever carries the token.
public enum MoodleError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// `vle.moodle.url` is not one ldap-sync will send a token to (plain http to another host, say).
    case refusedURL(url: String, reason: String)
    /// `vle.moodle.token_file` cannot be read or is empty.
    case tokenFile(path: String, reason: String)
    /// Moodle answered `invalidtoken`: the token in `vle.moodle.token_file` is wrong, expired or revoked.
    case invalidToken(path: String)
    /// Moodle could not be reached (connection refused, TLS failure, time-out), from libcurl.
    case unreachable(url: String, reason: String)
    /// Moodle answered with an HTTP status other than 200.
    case httpStatus(function: String, status: Int)
    /// Moodle raised an exception (`{"exception", "errorcode", "message"}`).
    case exception(function: String, errorCode: String, message: String)
    /// The answer was not the JSON the function returns.
    case badAnswer(function: String, detail: String)

    /// Settings errors are found before anything is written (exit 2); the rest happen after the
    /// directory is done and leave calls owed (exit 7).
    public var exitStatus: ExitStatus {
        switch self {
        case .refusedURL, .tokenFile: .inputError
        default: .vleOwed
        }
    }

    /// True when the whole site is out of reach for this run, so no further call is tried.
    var stopsTheRun: Bool {
        switch self {
        case .unreachable, .invalidToken, .httpStatus: true
        case .exception(_, let code, _): code == "accessexception" || code == "servicerequireslogin" || code == "sitemaintenance"
        default: false
        }
    }

    public var description: String {
        switch self {
        case .refusedURL(let url, let reason):
            "vle.moodle.url \(url) refused: \(reason)"
        case .tokenFile(let path, let reason):
            "vle.moodle.token_file \(path): \(reason)"
        case .invalidToken(let path):
            "Moodle refused the web-service token (invalidtoken): check vle.moodle.token_file (\(path)) holds a current token of the ldap-sync external service"
        case .unreachable(let url, let reason):
            "Moodle at \(url) could not be reached: \(reason)"
        case .httpStatus(let function, let status):
            "Moodle answered HTTP \(status) to \(function)"
        case .exception(let function, let code, let message):
            code == "accessexception"
                ? "Moodle refused \(function) (accessexception): add it to the external service of the token in vle.moodle.token_file"
                : "Moodle refused \(function): \(code): \(message)"
        case .badAnswer(let function, let detail):
            "Moodle's answer to \(function) is not what the web service returns: \(detail)"
        }
    }
}
