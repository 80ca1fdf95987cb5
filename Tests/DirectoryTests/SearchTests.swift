import SlapdHarness
import Testing

@testable import Directory

@Suite struct SearchTests {
    @Test func pagedSearchStreamsFiveThousandEntriesPastTheServerSizeLimit() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            for n in 0..<5_000 { batch.append(.add(parentEntry(server, uid: "p\(n)"))) }
            let outcomes = try await connection.run(batch)
            #expect(outcomes.allSatisfy { $0.succeeded })

            var seen = Set<String>()
            for try await entry in connection.search(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .equal("objectClass", "misParent"), attributes: ["uid"], pageSize: 400)) {
                seen.insert(try #require(entry.string("uid")))
            }
            #expect(seen.count == 5_000)
            #expect(seen.contains("p0") && seen.contains("p4999"))
        }
    }

    @Test func requestedAttributesOnlyAreReturned() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await connection.add(parentEntry(server, uid: "few", extra: [Attribute("mail", ["few@example.org"])]))
            let entry = try #require(try await connection.searchAll(SearchRequest(base: server.parentsBase, filter: .equal("uid", "few"), attributes: ["mail"])).first)
            #expect(entry.attributes.map(\.name) == ["mail"])
        }
    }

    @Test func searchUnderAMissingBaseIsNoSuchObject() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            await #expect {
                _ = try await connection.searchAll(SearchRequest(base: "ou=Nowhere,\(server.suffix)", filter: .present("objectClass")))
            } throws: { error in
                let error = error as? LDAPError
                return error?.code == .noSuchObject && error?.dn == "ou=Nowhere,\(server.suffix)"
            }
        }
    }

    @Test func badFilterIsAFilterErrorNotACrash() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            await #expect(throws: LDAPError.self) {
                _ = try await connection.searchAll(SearchRequest(base: server.suffix, rawFilter: "(uid=a"))
            }
        }
    }
}
