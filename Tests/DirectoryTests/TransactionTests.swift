import SlapdHarness
import Testing

@testable import Directory

@Suite struct TransactionTests {
    @Test func slapdOffersTransactions() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            #expect(try await connection.supportsTransactions())
        }
    }

    @Test func aThousandAddsCommitTogether() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let operations = (0..<1_000).map { WriteOperation.add(parentEntry(server, uid: "t\($0)")) }
            #expect(try await connection.runTransaction(operations) == .committed)
            let found = try await connection.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["uid"]))
            #expect(found.count == 1_000)
        }
    }

    @Test func oneBadWriteAbortsTheWholeTransaction() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await connection.add(parentEntry(server, uid: "exists"))
            var operations = (0..<10).map { WriteOperation.add(parentEntry(server, uid: "a\($0)")) }
            operations.insert(.add(parentEntry(server, uid: "exists")), at: 5)
            guard case .aborted(let error, _) = try await connection.runTransaction(operations) else {
                Issue.record("a duplicate add must abort the transaction")
                return
            }
            #expect(error.code == .entryAlreadyExists || error.code != .success)
            let found = try await connection.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["uid"]))
            #expect(found.map { $0.string("uid") } == ["exists"])
        }
    }

    @Test func modifiesAndDeletesInATransaction() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let a = parentEntry(server, uid: "ma")
            let b = parentEntry(server, uid: "mb")
            try await connection.add(a)
            try await connection.add(b)
            let outcome = try await connection.runTransaction([
                .modify(ModifyRequest(dn: a.dn, modifications: [Modification(.add, "mail", ["a@example.org"])])),
                .delete(DeleteRequest(dn: b.dn)),
            ])
            #expect(outcome == .committed)
            let left = try await connection.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid")))
            #expect(left.count == 1)
            #expect(left.first?.string("mail") == "a@example.org")
        }
    }
}
