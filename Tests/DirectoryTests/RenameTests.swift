import SlapdHarness
import Testing

@testable import Directory

@Suite struct RenameTests {
    @Test func renameMovesTheEntryToItsNewRDN() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "old.name")
            try await connection.add(request)
            let rename = RenameRequest(dn: request.dn, newRDN: "uid=new.name")
            #expect(rename.newDN == "uid=new.name,\(server.parentsBase)")
            try await connection.rename(rename)
            let found = try await connection.searchAll(SearchRequest(base: server.parentsBase, filter: .equal("uid", "new.name")))
            #expect(found.count == 1)
            #expect(try await connection.searchAll(SearchRequest(base: server.parentsBase, filter: .equal("uid", "old.name"))).isEmpty)
        }
    }
}
