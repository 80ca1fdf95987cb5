import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one test server keeps its files and which addresses it listens on.
struct ServerLayout {
    let folder: URL
    let ldapPort: Int
    let ldapsPort: Int?

    /// A fresh folder under /tmp; `ports` are the plain port and, for TLS, the ldaps one.
    ///
    /// The folder is `/tmp/sl.XXXXXX`, never `$TMPDIR` or a folder under the build tree: the ldapi
    /// socket lives in it, a socket path must fit sun_path (108 bytes), and slapd 2.5 *crashes*
    /// (after "domain socket path too long") rather than failing cleanly on a longer one.
    static func make(ports: [Int]) throws -> ServerLayout {
        var template = Array("/tmp/sl.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SlapdHarnessError.system(call: "mkdtemp", errno: errno) }
        let folder = URL(fileURLWithPath: String(cString: made))
        return ServerLayout(folder: folder, ldapPort: ports[0], ldapsPort: ports.count > 1 ? ports[1] : nil)
    }

    var configFile: URL { folder.appendingPathComponent("slapd.conf") }
    var logFile: URL { folder.appendingPathComponent("slapd.log") }
    var passwordFile: URL { folder.appendingPathComponent("admin.password") }
    var socketPath: String { folder.appendingPathComponent("ldapi").path }

    /// The socket path with every "/" as %2F, as an ldapi URL wants it.
    var ldapiURL: String {
        "ldapi://" + socketPath.replacingOccurrences(of: "/", with: "%2F")
    }

    /// slapd's `-h` argument: plain and (with TLS) ldaps on loopback only, and the socket.
    var listenURLs: String {
        var urls = ["ldap://127.0.0.1:\(ldapPort)/"]
        if let ldapsPort { urls.append("ldaps://127.0.0.1:\(ldapsPort)/") }
        urls.append(ldapiURL)
        return urls.joined(separator: " ")
    }

    /// Writes the admin password for `ldapadd -y`, which reads the whole file (so no newline) and
    /// warns when others may read it.
    func writePasswordFile(_ password: String) throws {
        guard FileManager.default.createFile(
            atPath: passwordFile.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        else { throw SlapdHarnessError.system(call: "create \(passwordFile.path)", errno: errno) }
    }

    /// The last `lines` lines of a text file, or a note that it could not be read.
    static func tail(of file: URL, lines: Int) -> String {
        guard let data = try? Data(contentsOf: file) else { return "(no log at \(file.path))" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
