import SlapdHarness
import Testing

@testable import Directory

@Suite struct DeleteTests {
    @Test func deletedEntryIsGoneAndASecondDeleteIsNoSuchObject() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "leaver")
            try await connection.add(request)
            try await connection.delete(DeleteRequest(dn: request.dn))
            let left = try await connection.searchAll(SearchRequest(base: server.parentsBase, filter: .equal("uid", "leaver")))
            #expect(left.isEmpty)
            await #expect { try await connection.delete(DeleteRequest(dn: request.dn)) } throws: { ($0 as? LDAPError)?.code == .noSuchObject }
        }
    }
}
