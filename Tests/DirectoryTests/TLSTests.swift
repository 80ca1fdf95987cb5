import SlapdHarness
import Testing

@testable import Directory

@Suite struct TLSTests {
    @Test func startTLSVerifiesTheServerAgainstTheGivenCA() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            let connection = try await LDAPConnection.connect(
                ConnectionOptions(url: server.ldapURL, startTLS: true, caFile: server.caFile))
            try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))
        }
    }

    @Test func ldapsVerifiesTheServerAgainstTheGivenCA() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            let connection = try await LDAPConnection.connect(ConnectionOptions(url: try #require(server.ldapsURL), caFile: server.caFile))
            try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))
        }
    }

    @Test func certificateFromAnUntrustedCAIsRefused() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            await #expect(throws: LDAPError.self) {
                _ = try await LDAPConnection.connect(
                    ConnectionOptions(url: server.ldapURL, startTLS: true, caFile: server.untrustedCAFile))
            }
            await #expect(throws: LDAPError.self) {
                _ = try await LDAPConnection.connect(
                    ConnectionOptions(url: try #require(server.ldapsURL), caFile: server.untrustedCAFile))
            }
        }
    }

    @Test func verificationIsOffOnlyWhenAskedForInWords() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            #expect(ConnectionOptions(url: server.ldapURL).certificateVerification == .verify)
            let connection = try await LDAPConnection.connect(
                ConnectionOptions(
                    url: server.ldapURL, startTLS: true, caFile: server.untrustedCAFile,
                    certificateVerification: .acceptAnyCertificateInsecurely))
            try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))
        }
    }
}
