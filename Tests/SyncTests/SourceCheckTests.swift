import Foundation
import Roster
import Sync
import SlapdHarness
import Testing

/// A folder with a config file and the exports it names, removed by `remove()`.
private struct CheckFolder {
    let url: URL

    init(config: String, files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("exports"), withIntermediateDirectories: true)
        try config.write(to: configURL, atomically: false, encoding: .utf8)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: false, encoding: .utf8)
            // A password file as a school should keep it: anything looser is warned about on stderr.
            if name.hasSuffix(".secret") {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.appendingPathComponent(name).path)
            }
        }
    }

    var configURL: URL { url.appendingPathComponent("sync.yaml") }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A loopback port nobody listens on (free when chosen), so "no directory answers" never depends on the machine.
private let silentPort = (try? FreePort.loopback(count: 1).first) ?? 9

private func config(sources: String) -> String {
    """
    directory:
      url: ldap://127.0.0.1:\(silentPort)
      parents_base: ou=Parents,dc=example,dc=org
    sources:
    \(sources)
    """
}

private let goodCSV = """
pupil_id,given_name,family_name,contact_id,relationship,parental_responsibility
P1,Jane,Doe,C1,Mother,Y
P1,John,Doe,C2,Father,Y
P2,Jane,Doe,C1,Mother,Y
P3,Ann,Lee,C3,Godmother,N

"""

private let sourcesGoodAndBroken = """
  - format: csv
    path: exports/good.csv
    school_id: "5301234"
  - format: csv
    path: exports/broken.csv
    school_id: "5301235"
"""

@Suite struct SourceCheckTests {
    @Test func everySourceIsCountedAndABrokenOneGivesItsErrorsAndAnInputError() throws {
        let folder = try CheckFolder(
            config: config(sources: sourcesGoodAndBroken),
            files: ["exports/good.csv": goodCSV, "exports/broken.csv": "pupil_id,surname\nP1,Doe\n"])
        defer { folder.remove() }
        let check = SourceCheck.run(config: try ConfigLoader.load(path: folder.configURL.path))
        #expect(check.entries.map(\.pupils) == [3, 0])
        #expect(check.entries.map(\.contacts) == [3, 0])
        #expect(check.entries.map(\.links) == [4, 0])
        #expect(check.entries.map(\.warnings.count) == [1, 0])
        #expect(check.entries.map(\.errors.count) == [0, 1])
        #expect(check.exitStatus == .inputError)
        let lines = check.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "sources[0] exports/good.csv (csv, canonical): 3 pupils, 3 contacts, 4 links, 1 warnings, 0 errors")
        #expect(lines.contains("sources[1] exports/broken.csv (csv, canonical): 0 pupils, 0 contacts, 0 links, 0 warnings, 1 errors"))
        #expect(lines.contains { $0.hasPrefix("  exports/broken.csv:1: error: missing required column family_name") })
        #expect(lines.contains { $0.hasPrefix("  exports/good.csv:5:5: warning: relationship \"Godmother\"") })
    }

    @Test func allSourcesReadableIsSuccessEvenWithWarnings() throws {
        let folder = try CheckFolder(
            config: config(sources: "  - format: csv\n    path: exports\n    school_id: \"1\"\n"),
            files: ["exports/a.csv": goodCSV, "exports/notes.md": "not a source"])
        defer { folder.remove() }
        let check = SourceCheck.run(config: try ConfigLoader.load(path: folder.configURL.path))
        #expect(check.entries.first?.pupils == 3)
        #expect(check.exitStatus == .success)
    }

    @Test func pathThatMatchesNothingIsAnError() throws {
        let folder = try CheckFolder(config: config(sources: "  - format: ctf\n    path: exports/*.xml\n"), files: [:])
        defer { folder.remove() }
        let check = SourceCheck.run(config: try ConfigLoader.load(path: folder.configURL.path))
        #expect(check.entries.first?.errors.first?.description == "exports/*.xml: error: cannot read: no file matches this path")
        #expect(check.exitStatus == .inputError)
    }

    @Test func globMatchesEveryFileAndErrorsNameEachFile() throws {
        let folder = try CheckFolder(
            config: config(sources: "  - format: csv\n    path: exports/*.csv\n    school_id: \"1\"\n"),
            files: ["exports/a.csv": goodCSV, "exports/b.csv": "pupil_id,family_name\n,Doe\n"])
        defer { folder.remove() }
        let check = SourceCheck.run(config: try ConfigLoader.load(path: folder.configURL.path))
        let error = try #require(check.entries.first?.errors.first)
        #expect(error.location.file == "exports/b.csv")
        #expect(error.location.line == 2)
    }
}

/// The `ldap-sync` executable built beside the test bundle.
private func ldapSyncBinary() -> URL? {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    return [beside, beside.deletingLastPathComponent(), root.appendingPathComponent(".build/debug")]
        .map { $0.appendingPathComponent("ldap-sync") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

private func runCheck(_ configPath: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let binary = try #require(ldapSyncBinary(), "the ldap-sync executable is built with the tests")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["check", "--config", configPath]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stdout, stderr)
}

@Suite struct CheckCommandTests {
    @Test func checkPrintsEachSourceAndExits2WhenOneIsBroken() throws {
        let folder = try CheckFolder(
            config: config(sources: sourcesGoodAndBroken),
            files: ["exports/good.csv": goodCSV, "exports/broken.csv": "pupil_id,surname\nP1,Doe\n"])
        defer { folder.remove() }
        let result = try runCheck(folder.configURL.path)
        #expect(result.status == 2)
        #expect(result.stdout.contains("sources[0] exports/good.csv (csv, canonical): 3 pupils, 3 contacts, 4 links"))
        #expect(result.stdout.contains("exports/broken.csv:1: error: missing required column family_name"))
    }

    @Test func checkExits0WhenEverySourceReadsAndTheDirectoryIsWell() async throws {
        try await withSlapd { server in
            let yaml = """
                directory:
                  url: \(server.ldapURL)
                  bind_dn: \(server.syncDN)
                  bind_password_file: bind.secret
                  parents_base: \(server.parentsBase)
                sources:
                  - format: csv
                    path: exports/good.csv
                    school_id: "1"

                """
            let folder = try CheckFolder(config: yaml, files: ["exports/good.csv": goodCSV, "bind.secret": server.syncPassword])
            defer { folder.remove() }
            let result = try runCheck(folder.configURL.path)
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stderr.isEmpty)
        }
    }

    @Test func checkExits1WhenTheSourcesReadButNoDirectoryAnswers() throws {
        let folder = try CheckFolder(
            config: config(sources: "  - format: csv\n    path: exports/good.csv\n    school_id: \"1\"\n"),
            files: ["exports/good.csv": goodCSV])
        defer { folder.remove() }
        let result = try runCheck(folder.configURL.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("PROBLEM  cannot connect or bind"))
    }

    @Test func configErrorExits2WithTheProblemOnStderr() throws {
        let folder = try CheckFolder(config: config(sources: "  - format: csv\n    pth: a.csv\n"), files: [:])
        defer { folder.remove() }
        let result = try runCheck(folder.configURL.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("sync.yaml:6:5: error: unknown key \"sources[0].pth\"; did you mean \"path\"?"))
        #expect(result.stdout.isEmpty)
    }
}
