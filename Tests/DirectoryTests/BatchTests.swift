import SlapdHarness
import Testing

@testable import Directory

@Suite struct BatchTests {
    @Test func fiveThousandPipelinedAddsEachWithItsOwnResult() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            for n in 0..<5_000 { batch.append(.add(parentEntry(server, uid: "b\(n)"))) }
            // One add that must fail, in the middle, to prove results are matched to their operations.
            let duplicate = batch.append(.add(parentEntry(server, uid: "b2500")))
            let outcomes = try await connection.run(batch, window: 256)
            #expect(outcomes.count == 5_001)
            #expect(outcomes[0..<5_000].allSatisfy { $0.succeeded })
            guard case .failed(let error) = outcomes[duplicate] else {
                Issue.record("the duplicate add should fail, got \(outcomes[duplicate])")
                return
            }
            #expect(error.code == .entryAlreadyExists)
            #expect(error.dn == parentEntry(server, uid: "b2500").dn)
            let found = try await connection.searchAll(SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .present("uid"), attributes: ["uid"], pageSize: 1000))
            #expect(found.count == 5_000)
        }
    }

    @Test func childrenUnderANewEntryWaitForIt() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            // Twenty new containers with twenty entries each: pipelined blindly, slapd would run children
            // before their parent and fail some with noSuchObject.
            for group in 0..<20 {
                let container = "ou=g\(group),\(server.parentsBase)"
                batch.append(.add(AddRequest(dn: container, attributes: [Attribute("objectClass", ["organizationalUnit"]), Attribute("ou", ["g\(group)"])])))
                for member in 0..<20 {
                    var child = parentEntry(server, uid: "g\(group)m\(member)")
                    child.dn = "uid=g\(group)m\(member),\(container)"
                    batch.append(.add(child))
                }
            }
            #expect(batch.items[1].dependencies == [0])
            let outcomes = try await connection.run(batch, window: 400)
            #expect(outcomes.allSatisfy { $0.succeeded })
        }
    }

    @Test func writesToTheSameEntryKeepTheirOrder() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            let add = parentEntry(server, uid: "ordered")
            batch.append(.add(add))
            for n in 0..<50 {
                batch.append(.modify(ModifyRequest(dn: add.dn, modifications: [Modification(.replace, "description", ["step \(n)"])])))
            }
            let outcomes = try await connection.run(batch)
            #expect(outcomes.allSatisfy { $0.succeeded })
            let entry = try #require(try await connection.searchAll(SearchRequest(base: add.dn, scope: .base, filter: .present("objectClass"))).first)
            #expect(entry.string("description") == "step 49")
        }
    }

    @Test func aFailedParentSkipsItsDependantsAndNothingElse() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            let bad = batch.append(.add(AddRequest(dn: "ou=broken,\(server.parentsBase)", attributes: [Attribute("objectClass", ["noSuchObjectClass"])])))  // fails: unknown class
            var child = parentEntry(server, uid: "orphan")
            child.dn = "uid=orphan,ou=broken,\(server.parentsBase)"
            let orphan = batch.append(.add(child))
            let grandchildIndex = batch.append(.modify(ModifyRequest(dn: child.dn, modifications: [Modification(.add, "mail", ["a@b.c"])])))
            let fine = batch.append(.add(parentEntry(server, uid: "fine")))
            let explicit = batch.append(.modify(ModifyRequest(dn: parentEntry(server, uid: "fine").dn, modifications: [Modification(.add, "mail", ["f@b.c"])])), after: [bad])

            let outcomes = try await connection.run(batch)
            guard case .failed = outcomes[bad] else { Issue.record("\(outcomes[bad])"); return }
            #expect(outcomes[orphan] == .skipped(becauseOf: bad))
            // It depends on both (its parent's container, and its own add): either cause is right.
            #expect([WriteOutcome.skipped(becauseOf: orphan), .skipped(becauseOf: bad)].contains(outcomes[grandchildIndex]))
            #expect(outcomes[fine] == .succeeded)
            #expect(outcomes[explicit] == .skipped(becauseOf: bad))
        }
    }

    @Test func mixedBatchOfEveryKindOfWrite() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let keep = parentEntry(server, uid: "keep")
            let gone = parentEntry(server, uid: "gone")
            try await connection.add(gone)
            var batch = WriteBatch()
            batch.append(.add(keep))
            batch.append(.passwordModify(PasswordModifyRequest(userDN: keep.dn, newPassword: Secret("Heron-17-Valley"))))
            batch.append(.delete(DeleteRequest(dn: gone.dn)))
            batch.append(.rename(RenameRequest(dn: keep.dn, newRDN: "uid=kept")))
            let outcomes = try await connection.run(batch, window: 2)
            #expect(outcomes.allSatisfy { $0.succeeded })
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await parent.bind(dn: "uid=kept,\(server.parentsBase)", password: Secret("Heron-17-Valley"))
        }
    }
}
