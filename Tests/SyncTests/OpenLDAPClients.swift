import Foundation
import SlapdHarness

/// OpenLDAP's own command-line clients, as a parent's software would use the directory: `ldapwhoami`
/// to log in (with the password-policy control, which says "Password must be changed" or "Account
/// locked") and `ldappasswd` to change a password. Passwords go through files (`-y`, `-t`, `-T`),
/// never on the command line.
struct OpenLDAPClients {
    let server: SlapdServer
    let folder: TemporaryDirectory

    struct Result {
        var status: Int32
        var output: String

        var succeeded: Bool { status == 0 }
        var mustChangePassword: Bool { output.contains("Password must be changed") }
        var accountLocked: Bool { output.contains("Account locked") }
        var invalidCredentials: Bool { status == 49 || output.contains("Invalid credentials (49)") }
    }

    init(server: SlapdServer) throws {
        self.server = server
        folder = try TemporaryDirectory()
    }

    func remove() { folder.remove() }

    /// `ldapwhoami -e ppolicy`, bound as `dn` with `password`.
    func whoami(_ dn: String, _ password: String) throws -> Result {
        try run("/usr/bin/ldapwhoami", ["-x", "-H", server.ldapURL, "-D", dn, "-y", secretFile(password), "-e", "ppolicy"])
    }

    /// `ldappasswd`, bound as `dn` with `old`, setting `new` (the parent changing their own password).
    func changePassword(_ dn: String, from old: String, to new: String) throws -> Result {
        try run("/usr/bin/ldappasswd", ["-x", "-H", server.ldapURL, "-D", dn, "-y", secretFile(old), "-t", secretFile(old), "-T", secretFile(new)])
    }

    private func secretFile(_ secret: String) throws -> String {
        let path = folder.file(UUID().uuidString)
        // The tools take the whole file as the password: no line break at the end.
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LDAPNOINIT": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
