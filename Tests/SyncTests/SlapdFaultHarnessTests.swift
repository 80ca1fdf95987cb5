import Directory
import Foundation
import SlapdHarness
import Testing

/// The harness's faults: a suspended slapd answers nothing until resumed; a halted one can be started
/// again on the same port with the same data.
@Suite struct SlapdFaultHarnessTests {
    @Test func haltedServerRestartsOnTheSamePortWithItsEntries() async throws {
        for signal in [SIGTERM, SIGKILL] {
            try await withSlapd { server in
                try server.add(ldif: "dn: cn=kept,\(server.parentsBase)\nobjectClass: organizationalRole\ncn: kept\n")
                let before = server.processID
                await server.halt(signal: signal)
                #expect(!server.isRunning)
                await #expect(throws: LDAPError.self) { _ = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, connectTimeout: 2)) }

                try await server.restart()
                #expect(server.isRunning)
                #expect(server.processID != before)
                let found = try server.search(base: server.parentsBase, filter: "(cn=kept)", attributes: ["cn"])
                #expect(found.contains("cn: kept"), "signal \(signal): \(found)")
            }
        }
    }

    @Test func suspendedServerAnswersNothingUntilResumed() async throws {
        try await withSlapd { server in
            let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, operationTimeout: 1))
            server.suspend()
            await #expect(throws: LDAPError.self) { try await connection.bind(dn: server.adminDN, password: Secret(server.adminPassword)) }
            server.resume()
            let again = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, operationTimeout: 5))
            try await again.bind(dn: server.adminDN, password: Secret(server.adminPassword))
        }
    }
}
