import CLDAP
import Dispatch
import Foundation

/// A connection to an LDAP server over libldap, safe to share between tasks.
///
/// libldap's thread safety is per handle: error state lives in the handle, and `ldap_result(LDAP_RES_ANY)`
/// from two threads steals results. So each connection confines its `LDAP*` to one serial dispatch queue;
/// every call hops there and back. The calls block, which is why they run on that queue and never on Swift's
/// cooperative pool (it has a thread per core and expects every job to make progress).
public final class LDAPConnection: @unchecked Sendable {
    /// The options this connection was made with.
    public let options: ConnectionOptions
    private let queue: DispatchQueue
    /// Touched only on `queue`.
    private var handle: OpaquePointer?
    /// Paged searches with a page asked for ahead and not yet read (`PagedSearch`). Touched only on `queue`.
    var searchesAhead = 0

    /// The first libldap call sets up its global options and is not thread safe, so make it once, before any
    /// connection exists (ldap_init(3)).
    ///
    /// libldap writes to its socket with plain write(2): a server that goes away mid-request would kill
    /// the process with SIGPIPE before any error could be reported and the run reconnect. Ignoring it
    /// turns that into EPIPE, which libldap reports as `serverDown`.
    private static let libraryReady: Void = {
        signal(SIGPIPE, SIG_IGN)
        var version: Int32 = 0
        _ = ldap_get_option(nil, LDAP_OPT_PROTOCOL_VERSION, &version)
    }()

    private init(options: ConnectionOptions, handle: OpaquePointer) {
        self.options = options
        self.handle = handle
        self.queue = DispatchQueue(label: "ldap-sync.ldap-connection")
    }

    deinit {
        if let handle { ldap_unbind_ext(handle, nil, nil) }
    }

    /// Opens a connection (and, when asked, upgrades it with StartTLS). Throws `LDAPError` with code
    /// `serverDown`/`connectError` when nothing answers, rather than hanging: the connect timeout bounds it.
    public static func connect(_ options: ConnectionOptions) async throws -> LDAPConnection {
        _ = libraryReady
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try open(options) })
            }
        }
    }

    private static func open(_ options: ConnectionOptions) throws -> LDAPConnection {
        var handle: OpaquePointer?
        let rc = ldap_initialize(&handle, options.url)
        guard rc == LDAP_SUCCESS, let handle else {
            throw LDAPError(operation: "connect", code: ResultCode(rawValue: rc), diagnosticMessage: "bad URL \(options.url)")
        }
        let connection = LDAPConnection(options: options, handle: handle)
        try connection.configure(handle)
        let connected = ldap_connect(handle)
        guard connected == LDAP_SUCCESS else {
            throw connection.lastError(handle, operation: "connect to \(options.url)", code: connected)
        }
        if options.startTLS {
            let started = ldap_start_tls_s(handle, nil, nil)
            guard started == LDAP_SUCCESS else {
                throw connection.lastError(handle, operation: "StartTLS with \(options.url)", code: started)
            }
        }
        // After StartTLS, so that nothing read before the handshake sits in a buffer below it. Not having
        // the layer only costs system calls: a connection that cannot get it works as before.
        _ = cldap_read_ahead(handle, Int32(readAheadBytes))
        return connection
    }

    /// The read-ahead buffer of a plain connection: a page of 1,000 parents is some 600 KB, read in about
    /// ten calls instead of two per entry.
    static let readAheadBytes = 64 * 1024

    /// Whether the connection buffers what the socket holds (plain connections; TLS reads whole records itself).
    var readsAhead: Bool {
        get async throws { try await withHandle("read-ahead") { cldap_reads_ahead($0) == 1 } }
    }

    private func configure(_ ld: OpaquePointer) throws {
        var version = LDAP_VERSION3
        try setOption(ld, LDAP_OPT_PROTOCOL_VERSION, &version)
        // Never chase referrals: a write must land on the server we were told to use.
        try setOption(ld, LDAP_OPT_REFERRALS, cldap_opt_off())
        var connectTimeout = timeval(seconds: options.connectTimeout)
        try setOption(ld, LDAP_OPT_NETWORK_TIMEOUT, &connectTimeout)
        // Bounds the synchronous calls (bind, StartTLS); asynchronous ones pass their own timeout.
        var operationTimeout = timeval(seconds: max(0.001, options.waitLimit().seconds))
        try setOption(ld, LDAP_OPT_TIMEOUT, &operationTimeout)

        var requireCertificate: Int32 =
            options.certificateVerification == .verify ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER
        try setOption(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &requireCertificate)
        if let caFile = options.caFile {
            try caFile.withCString { try setOption(ld, LDAP_OPT_X_TLS_CACERTFILE, $0) }
        }
        // TLS settings on a handle take effect only in a new TLS context made after them.
        var isServer: Int32 = 0
        try setOption(ld, LDAP_OPT_X_TLS_NEWCTX, &isServer)
    }

    private func setOption(_ ld: OpaquePointer, _ option: Int32, _ value: UnsafeRawPointer?) throws {
        let rc = ldap_set_option(ld, option, value)
        guard rc == LDAP_OPT_SUCCESS else {
            throw LDAPError(operation: "set option 0x\(String(option, radix: 16))", code: ResultCode(rawValue: rc))
        }
    }

    /// Unbinds and closes. Later calls fail with `serverDown`. Safe to call more than once.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                if let handle = self.handle { ldap_unbind_ext(handle, nil, nil) }
                self.handle = nil
                continuation.resume()
            }
        }
    }

    /// Runs `body` with the handle on this connection's queue.
    func withHandle<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (OpaquePointer) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                guard let handle = self.handle else {
                    continuation.resume(
                        throwing: LDAPError(operation: operation, code: .serverDown, diagnosticMessage: "connection is closed"))
                    return
                }
                continuation.resume(with: Result { try body(handle) })
            }
        }
    }

    /// Queues `body` on this connection's queue without waiting for it: calls made on the connection
    /// afterwards run after it. `body` gets nil once the connection is closed.
    func enqueue(_ body: @escaping @Sendable (OpaquePointer?) -> Void) {
        queue.async { body(self.handle) }
    }

    // MARK: - Results, shared by every operation (call on the queue)

    /// The error libldap recorded on the handle after a failed call, with the server's diagnostic message.
    func lastError(_ ld: OpaquePointer, operation: String, code: Int32? = nil, dn: String? = nil) -> LDAPError {
        Self.lastError(ld, operation: operation, code: code, dn: dn)
    }

    /// The error libldap recorded on the handle `ld` (call on the queue that owns it).
    static func lastError(_ ld: OpaquePointer, operation: String, code: Int32? = nil, dn: String? = nil) -> LDAPError {
        var resultCode: Int32 = code ?? 0
        if code == nil { _ = ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &resultCode) }
        var message: UnsafeMutablePointer<CChar>?
        _ = ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message)
        var text = ""
        if let message {
            text = String(cString: message)
            ldap_memfree(message)
        }
        if text.isEmpty, let description = ldap_err2string(resultCode) {
            // ldap_err2string returns static storage: never freed.
            text = String(cString: description)
        }
        return LDAPError(operation: operation, code: ResultCode(rawValue: resultCode), diagnosticMessage: text, dn: dn)
    }

    /// Waits for the result of `messageID` or, with `all` false, for its next message (a search's next
    /// entry, or its result); a timeout abandons the operation. The message is returned unparsed and belongs
    /// to the caller (free with `ldap_msgfree`).
    func awaitResult(_ ld: OpaquePointer, messageID: Int32, operation: String, dn: String?, all: Bool = true) throws -> OpaquePointer {
        let limit = options.waitLimit()
        var timeout = timeval(seconds: limit.seconds)
        var message: OpaquePointer?
        let type = ldap_result(ld, messageID, all ? LDAP_MSG_ALL : LDAP_MSG_ONE, &timeout, &message)
        switch type {
        case 0:
            _ = ldap_abandon_ext(ld, messageID, nil, nil)
            throw LDAPError(
                operation: operation, code: .timeout, diagnosticMessage: options.noAnswerMessage(byDeadline: limit.byDeadline), dn: dn)
        case -1:
            throw lastError(ld, operation: operation, dn: dn)
        default:
            return message!
        }
    }

    /// Parses an LDAPResult and frees the message. Returns the code and message; throws nothing itself.
    func parseResult(_ ld: OpaquePointer, _ message: OpaquePointer, free: Bool = true) -> (code: ResultCode, message: String) {
        var code: Int32 = 0
        var errorMessage: UnsafeMutablePointer<CChar>?
        var matched: UnsafeMutablePointer<CChar>?
        var referrals: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let rc = ldap_parse_result(ld, message, &code, &matched, &errorMessage, &referrals, nil, free ? 1 : 0)
        defer {
            if let matched { ldap_memfree(matched) }
            if let errorMessage { ldap_memfree(errorMessage) }
            if let referrals { ber_memvfree(UnsafeMutablePointer(OpaquePointer(referrals))) }
        }
        guard rc == LDAP_SUCCESS else { return (ResultCode(rawValue: rc), "could not parse the server's result") }
        return (ResultCode(rawValue: code), errorMessage.map { String(cString: $0) } ?? "")
    }

    /// Sends one request with `send` and waits for its result; throws `LDAPError` unless it succeeded.
    func perform(
        _ ld: OpaquePointer, operation: String, dn: String?,
        send: (OpaquePointer, inout Int32, ServerControls) -> Int32
    ) throws {
        var messageID: Int32 = 0
        let rc = send(ld, &messageID, nil)
        guard rc == LDAP_SUCCESS else { throw lastError(ld, operation: operation, code: rc, dn: dn) }
        let message = try awaitResult(ld, messageID: messageID, operation: operation, dn: dn)
        let result = parseResult(ld, message)
        guard result.code == .success else {
            throw LDAPError(operation: operation, code: result.code, diagnosticMessage: result.message, dn: dn)
        }
    }
}

extension timeval {
    init(seconds: Double) {
        let whole = seconds.rounded(.down)
        self.init(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }
}
