import Foundation
import MoodleStub
import Testing

@testable import Sync

/// The token goes only over a verified TLS connection: a certificate from an unknown CA is refused, and
/// `vle.moodle.ca_file` makes the school's own CA trusted. The server is `openssl s_server`, which
/// completes the handshake and then never answers a POST, so a trusted connection ends in a time-out
/// after the handshake and an untrusted one in a certificate error during it.
@Suite struct MoodleTLSTests {
    static func openssl(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openssl \(arguments.first ?? "")")
    }

    static func makeCA(_ name: String, in folder: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(name).key",
            "-out", "\(name).pem", "-days", "2", "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: folder)
    }

    @Test func theSchoolsOwnCAIsTrustedOnlyThroughCAFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Self.makeCA("school-ca", in: folder.path)
        try Self.makeCA("other-ca", in: folder.path)
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
            "-out", "server.csr", "-subj", "/CN=localhost",
        ], in: folder.path)
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: folder.file("server.ext")))
        try Self.openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "school-ca.pem", "-CAkey", "school-ca.key", "-CAcreateserial", "-days", "2",
            "-out", "server.pem", "-extfile", "server.ext",
        ], in: folder.path)
        try Data("moodle-test-token\n".utf8).write(to: URL(fileURLWithPath: folder.file("moodle.token")))

        let port = try MoodleStub.freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key", "-www", "-quiet"]
        server.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // s_server ignores SIGTERM.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }

        func failure(caFile: String?) async throws -> String {
            var config = MoodleConfig(url: "https://127.0.0.1:\(port)", tokenFile: folder.file("moodle.token"), parentRoleID: 9)
            config.caFile = caFile.map(folder.file)
            let client = MoodleClient(endpoint: try MoodleEndpoint(config, connectTimeout: 5, timeout: 2))
            do {
                _ = try await client.siteInfo()
                return "answered"
            } catch {
                return "\(error)"
            }
        }
        // Wait (up to 10 s on a busy machine) until s_server listens.
        var untrusted = try await failure(caFile: nil)
        for _ in 0..<40 where untrusted.contains("connect to") {
            try await Task.sleep(for: .milliseconds(250))
            untrusted = try await failure(caFile: nil)
        }
        #expect(untrusted.contains("certificate"), "\(untrusted)")
        let otherCA = try await failure(caFile: "other-ca.pem")
        #expect(otherCA.contains("certificate"), "\(otherCA)")
        let trusted = try await failure(caFile: "school-ca.pem")
        #expect(!trusted.contains("certificate") && trusted.contains("timed out"), "\(trusted)")
    }
}
