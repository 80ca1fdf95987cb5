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

    /// TLS reads whole records itself: no read-ahead below it. The same entries read over TLS (without
    /// read-ahead) and over a plain connection (with it) are the same entries, in the same order.
    @Test func tlsConnectionsDoNotReadAheadAndReadTheSameEntriesAsAPlainOne() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server in
            let startTLS = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, startTLS: true, caFile: server.caFile))
            let ldaps = try await LDAPConnection.connect(ConnectionOptions(url: try #require(server.ldapsURL), caFile: server.caFile))
            let plain = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            var batch = WriteBatch()
            for n in 0..<500 {
                batch.append(.add(AddRequest(
                    dn: "uid=tls\(n),\(server.parentsBase)",
                    attributes: [
                        Attribute("objectClass", ["inetOrgPerson", "misParent"]), Attribute("uid", ["tls\(n)"]),
                        Attribute("cn", ["Parent \(n)"]), Attribute("sn", ["Parent"]), Attribute("misParentId", ["id-\(n)"]),
                        Attribute("description", [String(repeating: "x", count: 1 + n * 37 % 3_000)]),
                    ])))
            }
            var read: [[Entry]] = []
            for connection in [startTLS, ldaps, plain] {
                try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))
                if connection === startTLS { #expect(try await connection.run(batch).allSatisfy(\.succeeded)) }
                read.append(try await connection.searchAll(SearchRequest(
                    base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["uid", "description"], pageSize: 64)))
            }
            #expect(try await startTLS.readsAhead == false)
            #expect(try await ldaps.readsAhead == false)
            #expect(try await plain.readsAhead)
            #expect(read[0].count == 500)
            #expect(read[0] == read[1] && read[1] == read[2])
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
