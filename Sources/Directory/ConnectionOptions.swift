import Foundation

/// How to reach a directory server.
public struct ConnectionOptions: Sendable {
    /// Whether the server's certificate must verify against the trusted CAs.
    public enum CertificateVerification: Sendable, Equatable {
        /// The default: the certificate must chain to a trusted CA and name the host.
        case verify
        /// Accept any certificate. Only for a test server, and only when the configuration says so in words.
        case acceptAnyCertificateInsecurely
    }

    /// `ldap://host:port`, `ldaps://host:port` or `ldapi://%2Fpath%2Fto%2Fsocket`.
    public var url: String
    /// Upgrade an `ldap://` connection with StartTLS (RFC 4513) before anything else is sent.
    public var startTLS: Bool
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    public var certificateVerification: CertificateVerification
    /// Seconds to wait for the TCP (and TLS) connection.
    public var connectTimeout: Double
    /// Seconds to wait for any one operation's result.
    public var operationTimeout: Double
    /// A moment past which nothing waits any longer, whatever `operationTimeout` allows: a whole run's
    /// time limit. An operation cut short by it fails with `timeout` and says so.
    public var deadline: Date?

    public init(
        url: String,
        startTLS: Bool = false,
        caFile: String? = nil,
        certificateVerification: CertificateVerification = .verify,
        connectTimeout: Double = 10,
        operationTimeout: Double = 60,
        deadline: Date? = nil
    ) {
        self.url = url
        self.startTLS = startTLS
        self.caFile = caFile
        self.certificateVerification = certificateVerification
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.deadline = deadline
    }

    /// How long to wait for the next answer now: `operationTimeout`, or less when the deadline is
    /// nearer. `byDeadline` tells which of the two bounds it, for the error message.
    func waitLimit(now: Date = Date()) -> (seconds: Double, byDeadline: Bool) {
        guard let deadline else { return (operationTimeout, false) }
        let left = max(0, deadline.timeIntervalSince(now))
        return left < operationTimeout ? (left, true) : (operationTimeout, false)
    }

    /// The message of an operation that got no answer within `waitLimit`.
    func noAnswerMessage(byDeadline: Bool) -> String {
        byDeadline
            ? "the run's time limit passed while waiting for the server"
            : "no answer within \(Self.seconds(operationTimeout)) s"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

}
