import Directory
import Foundation
import Logging

/// The directory could not be reached or refused the bind (exit 4).
public struct DirectoryUnavailable: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var underlying: LDAPError
    /// The explanation in the config's words (which timeout, how many retries), when known.
    public var explanation: String?
    public var exitStatus: ExitStatus { .directoryUnavailable }
    public var description: String { "the directory is unavailable: \(explanation ?? "\(underlying)")" }

    public init(underlying: LDAPError, explanation: String? = nil) {
        self.underlying = underlying
        self.explanation = explanation
    }

    /// `read`'s result; a connection lost while it reads the directory is this error, explained in the
    /// config's words (nothing of the attempt was written: the run reconnects).
    static func whileReading<T>(_ directory: DirectoryConfig, _ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let error as LDAPError where error.code.meansConnectionLost {
            throw DirectoryUnavailable(underlying: error, explanation: DirectoryFault.explain(error, directory, during: .run))
        }
    }
}

/// A problem with how the config says to reach the directory, found before connecting (exit 2).
public struct DirectorySettingsError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var message: String
    public var exitStatus: ExitStatus { .inputError }
    public var description: String { message }
}

/// Opens the connection a run uses, as the config says: TLS verified unless the config says otherwise in
/// words, no plain `ldap://` to another host unless `allow_insecure`, the bind password from a file, the
/// environment or systemd's credentials folder, never from the command line.
public enum DirectorySession {
    /// Opens and binds. `deadline` is the whole run's time limit (default: `directory.timeouts.run` from
    /// now): no wait of this connection goes past it.
    public static func open(
        _ config: Config, deadline: Date? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> LDAPConnection {
        let settings = config.directory
        try checkTransport(settings)
        if !settings.tlsVerify {
            Logger.run().warning("the server's certificate is not checked (directory.tls_verify: false): a test server only", metadata: ["url": .string(settings.url)])
        }
        let password = try bindPassword(settings, environment: environment)
        let options = ConnectionOptions(
            url: settings.url, startTLS: settings.startTLS, caFile: settings.caFile,
            certificateVerification: settings.tlsVerify ? .verify : .acceptAnyCertificateInsecurely,
            connectTimeout: Double(settings.timeouts.connect), operationTimeout: Double(settings.timeouts.operation),
            deadline: deadline ?? Date().addingTimeInterval(Double(settings.timeouts.run)))
        do {
            let connection = try await LDAPConnection.connect(options)
            if let bindDN = settings.bindDN, let password {
                try await connection.bind(dn: bindDN, password: password)
            }
            return connection
        } catch let error as LDAPError {
            let explanation = error.code.meansConnectionLost ? DirectoryFault.explain(error, settings, during: .connect) : nil
            throw DirectoryUnavailable(underlying: error, explanation: explanation)
        }
    }

    /// Plain LDAP sends the bind password in the clear: only over loopback or a local socket, unless the
    /// config accepts the risk by name. Certificates are checked unless `tls_verify: false`, which is
    /// for a named test server only: one on this machine (loopback, `localhost`) or under the names
    /// RFC 6761 keeps for testing (`*.test`, `*.localhost`); never a real school's server.
    static func checkTransport(_ settings: DirectoryConfig) throws {
        let url = settings.url.lowercased()
        if !settings.tlsVerify, !url.hasPrefix("ldapi://"), !isTestHost(hostOf(url)) {
            throw DirectorySettingsError(message:
                "directory.tls_verify: false is only for a test server (loopback, localhost, or a name under .test), "
                + "not \(settings.url): give the CA that signed the server's certificate in directory.ca_file instead.")
        }
        guard url.hasPrefix("ldap://"), !settings.startTLS, !settings.allowInsecure else { return }
        guard isLoopback(hostOf(url)) else {
            throw DirectorySettingsError(message:
                "directory.url \(settings.url) is plain ldap:// to another host: the bind password would cross the network in the clear. "
                + "Use ldaps://, or start_tls: true, or (for a test server only) allow_insecure: true.")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "[::1]" || host == "::1"
    }

    static func isTestHost(_ host: String) -> Bool {
        isLoopback(host) || host.hasSuffix(".test") || host.hasSuffix(".localhost")
    }

    static func hostOf(_ url: String) -> String {
        let rest = url.drop { $0 != "/" }.dropFirst(2)
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if authority.hasPrefix("[") { return String(authority.prefix { $0 != "]" }) + "]" }
        return String(authority.split(separator: ":").first ?? "")
    }

    /// `bind_password_file`, else `LDAP_SYNC_BIND_PASSWORD`, else `$CREDENTIALS_DIRECTORY/ldap-sync-bind`
    /// (systemd's `LoadCredential=`). A trailing newline in a file is not part of the password.
    static func bindPassword(_ settings: DirectoryConfig, environment: [String: String]) throws -> Secret? {
        guard settings.bindDN != nil else { return nil }
        if let file = settings.bindPasswordFile {
            return try readSecret(file)
        }
        if let value = environment["LDAP_SYNC_BIND_PASSWORD"], !value.isEmpty {
            return Secret(value)
        }
        if let folder = environment["CREDENTIALS_DIRECTORY"] {
            let file = (folder as NSString).appendingPathComponent("ldap-sync-bind")
            if FileManager.default.fileExists(atPath: file) { return try readSecret(file) }
        }
        throw DirectorySettingsError(message:
            "directory.bind_dn is set but no bind password was found: give directory.bind_password_file, "
            + "or LDAP_SYNC_BIND_PASSWORD, or a systemd credential named ldap-sync-bind")
    }

    static func readSecret(_ path: String) throws -> Secret {
        warnIfOthersCanRead(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DirectorySettingsError(message: "cannot read the bind password file \(path)")
        }
        var bytes = Array(data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw DirectorySettingsError(message: "the bind password file \(path) is empty") }
        return Secret(bytes: bytes)
    }

    /// A password file that the group or everyone may read is a password that they may read: the run
    /// goes on (the file may sit in a folder only this user can enter), but says so.
    static func warnIfOthersCanRead(_ path: String) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        else { return }
        Logger.run().warning(
            "the bind password file can be read by its group or by others: chmod 600 it",
            metadata: ["file": .string(path), "mode": .string(String(mode, radix: 8))])
    }
}
