import SlapdHarness
import Testing

@testable import Directory

@Suite struct AddTests {
    @Test func addedEntryReadsBackWithEveryValue() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "ann.smith", extra: [Attribute("mail", ["ann@example.org"]), Attribute("misChildRef", ["5301234/P1", "5301234/P2"])])
            try await connection.add(request)
            let entry = try #require(try await connection.searchAll(SearchRequest(base: request.dn, scope: .base, filter: .present("objectClass"))).first)
            #expect(entry.string("mail") == "ann@example.org")
            #expect(Set(entry.strings("misChildRef")) == ["5301234/P1", "5301234/P2"])
            #expect(Set(entry.strings("objectClass")) == ["inetOrgPerson", "misParent"])
        }
    }

    @Test func addingAnExistingEntryIsEntryAlreadyExistsNamingTheDN() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "twice")
            try await connection.add(request)
            await #expect {
                try await connection.add(request)
            } throws: { error in
                let error = error as? LDAPError
                return error?.code == .entryAlreadyExists && error?.dn == request.dn && error?.operation == "add"
            }
        }
    }

    @Test(arguments: hostileValues.filter { !$0.contains("\u{0}") && $0.trimmingCharacters(in: .whitespaces) != "" })
    func hostileNamesBecomeExactlyOneEntryFoundByAnEscapedFilter(_ value: String) async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var request = parentEntry(server, uid: "hostile")
            request.dn = DistinguishedName(type: "cn", value: value, under: try DistinguishedName(parsing: server.parentsBase)).description
            request.attributes = [Attribute("objectClass", ["inetOrgPerson"]), Attribute("cn", [value]), Attribute("sn", [value])]
            try await connection.add(request)
            try await connection.add(parentEntry(server, uid: "bystander"))
            let found = try await connection.searchAll(SearchRequest(base: server.parentsBase, filter: .equal("cn", value)))
            #expect(found.count == 1)
            #expect(found.first?.string("cn") == value)
            let parsed = try DistinguishedName(parsing: try #require(found.first?.dn))
            #expect(parsed.leafValue == value)
        }
    }

    @Test func binaryValuesWithNULsSurviveByteForByte() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let photo: [UInt8] = [0xFF, 0xD8, 0x00, 0x00, 0x10, 0x4A, 0x46, 0x00, 0xFF, 0xD9]
            var request = parentEntry(server, uid: "photo")
            request.attributes.append(Attribute("jpegPhoto", values: [photo]))
            try await connection.add(request)
            let entry = try #require(try await connection.searchAll(SearchRequest(base: request.dn, scope: .base, filter: .present("objectClass"), attributes: ["jpegPhoto"])).first)
            #expect(entry["jpegPhoto"]?.values == [photo])
        }
    }

    @Test func missingRequiredAttributeIsObjectClassViolation() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var request = parentEntry(server, uid: "nosn")
            request.attributes.removeAll { $0.name == "sn" }
            await #expect { try await connection.add(request) } throws: { ($0 as? LDAPError)?.code == .objectClassViolation }
        }
    }
}
