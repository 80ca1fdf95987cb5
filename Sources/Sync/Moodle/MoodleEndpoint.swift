import Directory
import Foundation

/// Where and how ldap-sync talks to Moodle: the REST endpoint and the token, checked before any run
/// writes anything. The token is sent only over verified HTTPS, or plain http to this machine when
/// `allow_insecure` says so in words (tests).
public struct MoodleEndpoint: Sendable {
    /// `<url>/webservice/rest/server.php`.
    public var serverURL: String
    /// The site as configured, for messages.
    public var siteURL: String
    public var token: Secret
    public var tokenFile: String
    public var caFile: String?
    public var connectTimeout: Int
    public var timeout: Int

    /// Checks the URL and reads the token file. Throws `MoodleError.refusedURL` or `.tokenFile` (exit 2).
    public init(_ config: MoodleConfig, connectTimeout: Int = 10, timeout: Int = 60) throws {
        try Self.checkURL(config)
        siteURL = config.url
        serverURL = (config.url.hasSuffix("/") ? String(config.url.dropLast()) : config.url) + "/webservice/rest/server.php"
        tokenFile = config.tokenFile
        token = try Self.readToken(config.tokenFile)
        caFile = config.caFile
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw MoodleError.refusedURL(url: config.url, reason: "vle.moodle.ca_file \(caFile) cannot be read")
        }
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    static func checkURL(_ config: MoodleConfig) throws {
        guard let components = URLComponents(string: config.url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw MoodleError.refusedURL(url: config.url, reason: "not an http(s) URL with a host")
        }
        if components.user != nil || components.password != nil || components.query != nil {
            throw MoodleError.refusedURL(url: config.url, reason: "give the site's address only, without user, password or query")
        }
        switch scheme {
        case "https":
            return
        case "http":
            guard isLoopback(host) else {
                throw MoodleError.refusedURL(
                    url: config.url,
                    reason: "plain http would send the token unencrypted; use https (plain http is allowed only to this machine, with vle.moodle.allow_insecure: true)")
            }
            guard config.allowInsecure else {
                throw MoodleError.refusedURL(
                    url: config.url, reason: "plain http needs vle.moodle.allow_insecure: true (for a test Moodle on this machine only)")
            }
        default:
            throw MoodleError.refusedURL(url: config.url, reason: "the scheme must be https")
        }
    }

    /// 127.0.0.0/8, ::1 and localhost: the only hosts plain http may go to.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func readToken(_ path: String) throws -> Secret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MoodleError.tokenFile(path: path, reason: "cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw MoodleError.tokenFile(path: path, reason: "is empty") }
        guard !token.contains(where: { $0.isWhitespace }) else {
            throw MoodleError.tokenFile(path: path, reason: "holds more than one line or word; it must hold the token only")
        }
        return Secret(token)
    }
}
