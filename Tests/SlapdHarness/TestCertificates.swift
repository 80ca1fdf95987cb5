import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CA, a server certificate it signed, and a second CA that signed nothing, made with `openssl`
/// for one test server. EC P-256 keys: quick to make, and both GnuTLS (Debian's libldap and slapd)
/// and OpenSSL accept them.
struct TestCertificates {
    let caFile: URL
    let serverCertificateFile: URL
    let serverKeyFile: URL
    let untrustedCAFile: URL

    /// Makes the files in `folder`. The key stays readable by this user only: slapd runs as it too.
    static func make(in folder: URL) throws -> TestCertificates {
        let file = { (name: String) in folder.appendingPathComponent(name) }
        let certificates = TestCertificates(
            caFile: file("ca.pem"), serverCertificateFile: file("server.pem"),
            serverKeyFile: file("server.key"), untrustedCAFile: file("untrusted-ca.pem"))
        try makeCA(named: "ldap-sync test CA", certificate: certificates.caFile, key: file("ca.key"))
        try makeCA(
            named: "ldap-sync untrusted CA", certificate: certificates.untrustedCAFile,
            key: file("untrusted-ca.key"))

        let request = file("server.csr")
        try Tool.check(Tool.openssl, [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", certificates.serverKeyFile.path, "-out", request.path, "-subj", "/CN=localhost",
        ])
        let extensions = file("server.ext")
        try Data(serverExtensions().utf8).write(to: extensions)
        try Tool.check(Tool.openssl, [
            "x509", "-req", "-in", request.path, "-CA", certificates.caFile.path,
            "-CAkey", file("ca.key").path, "-CAcreateserial", "-days", "2",
            "-out", certificates.serverCertificateFile.path, "-extfile", extensions.path,
        ])
        return certificates
    }

    private static func makeCA(named name: String, certificate: URL, key: URL) throws {
        try Tool.check(Tool.openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key.path, "-out", certificate.path, "-days", "2", "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// The names the server certificate is good for. libldap checks a URL's IP address against the
    /// IP entries, so ldap://127.0.0.1 verifies. A URL naming `localhost` is a trap: libldap swaps
    /// "localhost" for this machine's own host name before it checks the certificate, so the host
    /// name goes in too.
    private static func serverExtensions() -> String {
        var names = ["DNS:localhost", "IP:127.0.0.1"]
        for host in hostNames() where !names.contains("DNS:\(host)") {
            names.append("DNS:\(host)")
        }
        return """
            subjectAltName=\(names.joined(separator: ","))
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth

            """
    }

    /// This machine's short and canonical names, as libldap finds them (gethostname, then the
    /// resolver's canonical name).
    private static func hostNames() -> [String] {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return [] }
        let short = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var names = [short]
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        if getaddrinfo(short, nil, &hints, &result) == 0, let info = result {
            if let canonical = info.pointee.ai_canonname { names.append(String(cString: canonical)) }
            freeaddrinfo(info)
        }
        // Only plain host names can go into an openssl extension line.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        return names.filter { !$0.isEmpty && $0.unicodeScalars.allSatisfy(allowed.contains) }
    }
}
