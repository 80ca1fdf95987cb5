import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

@Suite struct InterruptedApplyTests {
    /// A school of `count` families, one parent each, every one entitled to an account.
    static func export(families count: Int) -> CanonicalExport {
        var export = CanonicalExport(school: "5301234")
        for n in 1...count {
            export.add(
                ExportPupil("P\(n)", upn: "A\(String(format: "%012d", n))", "Child", "Family\(n)"),
                ExportContact("C\(n)", "Parent", "Family\(n)", email: "parent\(n)@example.org"))
        }
        return export
    }

    /// The server stops answering in the middle of a first apply (SIGSTOP: the writes in flight are left
    /// hanging and may still land when it resumes, the worst case for a client), the run gives up with
    /// exit 4, and the next run converges: one account per parent, no duplicate, every account with a
    /// first password someone was told — also when the password travels inside the add (crypt-sha512),
    /// where an add whose answer was lost may have set a password nobody was told: the journal names it.
    @Test(arguments: ["server", "crypt-sha512"])
    func applyCutOffByAStoppedServerConvergesOnTheNextRunWithoutDuplicates(hash: String) async throws {
        // fsync makes every write cost a disk flush, so the apply is still running when the server stops.
        try await withSlapd(SlapdOptions(fsync: true, logOperations: false)) { server in
            let site = try SyncSite(server: server, accounts: ["password_hash: \(hash)"])
            defer { site.remove() }
            let families = 1_500
            try site.write(Self.export(families: families))
            var config = try site.config()
            config.directory.timeouts.operation = 2

            let impatient = config
            let first = Task {
                let connection = try await DirectorySession.open(impatient)
                return try await SyncRun(config: impatient).apply(connection)
            }
            // Stop the server as soon as the first accounts exist.
            let watcher = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await watcher.bind(dn: server.adminDN, password: Secret(server.adminPassword))
            var seen = 0
            while seen == 0 {
                seen = try await watcher.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["1.1"], pageSize: 1000)).count
            }
            #expect(seen < families, "the apply finished before the server was stopped: nothing was interrupted")
            kill(server.processID, SIGSTOP)
            let cutOff = try await first.value
            kill(server.processID, SIGCONT)
            #expect(cutOff.exitStatus == .directoryUnavailable)
            #expect(cutOff.result.connectionLost)

            config.directory.timeouts.operation = 60
            let connection = try await DirectorySession.open(config)
            var later = [try await SyncRun(config: config, now: Date().addingTimeInterval(1)).apply(connection)]
            if later[0].exitStatus == .writesFailed {
                // A create that collided with a write of the first run landing late (the resumed server
                // works through what the given-up connection had sent): refused as entryAlreadyExists,
                // reported, never a second account; the next run finds the entry and gives it a password.
                #expect(later[0].result.failures.allSatisfy { $0.error.code == .entryAlreadyExists }, "\(later[0].result.failures)")
                later.append(try await SyncRun(config: config, now: Date().addingTimeInterval(2)).apply(connection))
            }
            #expect(later.last?.exitStatus == .success)

            let entries = try await watcher.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["uid", "misContactRef"], pageSize: 1000))
            #expect(entries.count == families)
            #expect(Set(entries.flatMap { $0.strings("misContactRef") }).count == families)
            // Each parent kept the username the first run gave: no second account under another name.
            #expect(Set(entries.compactMap { $0.string("uid") }) == Set((1...families).map { "parent.family\($0)" }))

            // The latest password given to each account, across both runs' credentials files, lets it in.
            var latest: [String: String] = [:]
            for row in cutOff.result.credentials + later.flatMap(\.result.credentials) { latest[row.dn] = row.initialPassword }
            // An add of the first run that the resumed server carried out only after the next run read the
            // directory stays in the password journal until an account shows and gets its password.
            if latest.count < families {
                later.append(try await SyncRun(config: config, now: Date().addingTimeInterval(3)).apply(connection))
                for row in later.last!.result.credentials { latest[row.dn] = row.initialPassword }
            }
            #expect(latest.count == families)
            for (dn, password) in latest.sorted(by: { $0.key < $1.key }).prefix(200) {
                let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
                try await parent.bind(dn: dn, password: Secret(password))
                await parent.close()
            }
            #expect(PendingPasswords(stateDirectory: config.stateDir).leftOver().isEmpty)
        }
    }
}
