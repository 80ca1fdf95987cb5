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

    public init(
        url: String,
        startTLS: Bool = false,
        caFile: String? = nil,
        certificateVerification: CertificateVerification = .verify,
        connectTimeout: Double = 10,
        operationTimeout: Double = 60
    ) {
        self.url = url
        self.startTLS = startTLS
        self.caFile = caFile
        self.certificateVerification = certificateVerification
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
    }
}
