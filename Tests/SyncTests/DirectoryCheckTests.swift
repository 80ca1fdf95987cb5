import Foundation
import SlapdHarness
import Testing

@testable import Sync

@Suite struct DirectoryCheckTests {
    /// A config for the harness server, written into `folder`.
    static func config(_ server: SlapdServer, folder: TemporaryDirectory, parentsBase: String? = nil, password: String? = nil) throws -> Config {
        try (password ?? server.syncPassword).write(toFile: folder.file("bind.secret"), atomically: false, encoding: .utf8)
        try "school_id,pupil_id,family_name\n5301234,P1,Smith\n".write(toFile: folder.file("pupils.csv"), atomically: false, encoding: .utf8)
        let yaml = """
            directory:
              url: \(server.ldapURL)
              bind_dn: \(server.syncDN)
              bind_password_file: bind.secret
              parents_base: \(parentsBase ?? server.parentsBase)
              pupils_base: \(server.pupilsBase)
              parent_group: cn=Parents,\(server.groupsBase)
            sources:
              - format: csv
                path: pupils.csv
            state_dir: state
            """
        try yaml.write(toFile: folder.file("config.yaml"), atomically: false, encoding: .utf8)
        return try ConfigLoader.load(path: folder.file("config.yaml"))
    }

    @Test func aWellSetUpDirectoryPassesEveryCheckAndKeepsNoProbe() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let check = await DirectoryCheck.run(config: try Self.config(server, folder: folder))
            #expect(check.allWell, "\(check.text)")
            #expect(check.text.contains("a disabled (locked) account cannot log in"))
            #expect(check.text.contains("misParent schema is loaded"))
            #expect(check.text.contains("directory.incremental_read: the bind DN is given entryCSN"))
            #expect(check.text.contains("ok       a write to an entry changes its entryCSN"))
            #expect(try server.search(base: server.parentsBase, filter: "(uid=ldap-sync-check-*)").isEmpty)
        }
    }

    @Test func aMissingBaseIsAProblemWithItsFix() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let check = await DirectoryCheck.run(config: try Self.config(server, folder: folder, parentsBase: "ou=Nowhere,\(server.suffix)"))
            #expect(!check.allWell)
            #expect(check.text.contains("PROBLEM  directory.parents_base ou=Nowhere"))
            #expect(check.text.contains("fix: create it"))
        }
    }

    @Test func aWrongPasswordSaysHowToFixIt() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let check = await DirectoryCheck.run(config: try Self.config(server, folder: folder, password: "wrong"))
            #expect(!check.allWell)
            #expect(check.text.contains("invalidCredentials"))
            #expect(check.text.contains("fix: check directory.url"))
        }
    }

    @Test func checkCommandExitsOneOnADirectoryProblem() async throws {
        try await withSlapd { server in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            _ = try Self.config(server, folder: folder, password: "wrong")
            let run = try CommandLineRunner.run(["check", "--config", folder.file("config.yaml")])
            #expect(run.status == 1)
            #expect(run.standardOutput.contains("PROBLEM"))
        }
    }
}
