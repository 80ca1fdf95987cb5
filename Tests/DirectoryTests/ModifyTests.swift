import SlapdHarness
import Testing

@testable import Directory

@Suite struct ModifyTests {
    @Test func addDeleteAndReplaceValuesInOneRequest() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "mods", extra: [Attribute("misChildRef", ["s/1", "s/2"]), Attribute("mail", ["old@example.org"])])
            try await connection.add(request)
            try await connection.modify(ModifyRequest(dn: request.dn, modifications: [
                Modification(.add, "misChildRef", ["s/3"]),
                Modification(.delete, "misChildRef", ["s/1"]),
                Modification(.replace, "mail", ["new@example.org"]),
                Modification(.add, "mobile", ["+447700900123"]),
            ]))
            var entry = try #require(try await connection.searchAll(SearchRequest(base: request.dn, scope: .base, filter: .present("objectClass"))).first)
            #expect(Set(entry.strings("misChildRef")) == ["s/2", "s/3"])
            #expect(entry.strings("mail") == ["new@example.org"])
            #expect(entry.strings("mobile") == ["+447700900123"])

            try await connection.modify(ModifyRequest(dn: request.dn, modifications: [
                Modification(.delete, "mobile", values: []),
                Modification(.replace, "mail", values: []),
            ]))
            entry = try #require(try await connection.searchAll(SearchRequest(base: request.dn, scope: .base, filter: .present("objectClass"))).first)
            #expect(entry["mobile"] == nil)
            #expect(entry["mail"] == nil)
        }
    }

    @Test func deletingAValueThatIsNotThereIsNoSuchAttribute() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "absent")
            try await connection.add(request)
            await #expect {
                try await connection.modify(ModifyRequest(dn: request.dn, modifications: [Modification(.delete, "misChildRef", ["s/9"])]))
            } throws: { ($0 as? LDAPError)?.code == .noSuchAttribute }
        }
    }

    @Test func syncAccountCannotWriteOutsideItsSubtree() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            await #expect {
                try await connection.modify(ModifyRequest(dn: server.syncDN, modifications: [Modification(.replace, "description", ["mine now"])]))
            } throws: { ($0 as? LDAPError)?.code == .insufficientAccessRights }
        }
    }
}
