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

    /// Adds `count` parents named `prefix0`… in one batch.
    private func addParents(_ server: SlapdServer, _ connection: LDAPConnection, prefix: String, count: Int) async throws {
        var batch = WriteBatch()
        for n in 0..<count { batch.append(.add(parentEntry(server, uid: "\(prefix)\(n)"))) }
        let outcomes = try await connection.run(batch)
        #expect(outcomes.allSatisfy { $0.succeeded })
    }

    private func parentsRequest(_ server: SlapdServer, pageSize: Int) -> SearchRequest {
        SearchRequest(base: server.parentsBase, scope: .oneLevel, filter: .equal("objectClass", "misParent"), attributes: ["uid"], pageSize: pageSize)
    }

    @Test func pagesReadAheadGiveEveryEntryOnceInTheServersOrder() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await addParents(server, connection, prefix: "r", count: 1_234)
            // 25 pages of 50 (the last short), read ahead of the consumer; against one page of them all.
            var uids: [String] = []
            for try await entry in connection.search(parentsRequest(server, pageSize: 50)) {
                uids.append(try #require(entry.string("uid")))
                if uids.count % 100 == 0 { await Task.yield() }
            }
            let whole = try await connection.searchAll(parentsRequest(server, pageSize: 5_000)).map { $0.string("uid") ?? "" }
            #expect(uids.count == 1_234 && Set(uids).count == 1_234)
            #expect(uids == whole)
        }
    }

    @Test func aConsumerThatStopsEarlyLeavesNoSearchOnTheConnection() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await addParents(server, connection, prefix: "s", count: 600)
            // Stop on the first entry, mid-page, on a page boundary, and on the last page: each time a page
            // may be asked for ahead. Whatever runs next on the connection finds it as if nothing was left.
            for stopAfter in [1, 70, 100, 550] {
                var seen = 0
                for try await _ in connection.search(parentsRequest(server, pageSize: 100)) {
                    seen += 1
                    if seen == stopAfter { break }
                }
                #expect(seen == stopAfter)
                let again = try await connection.searchAll(parentsRequest(server, pageSize: 100))
                #expect(again.count == 600)
            }
            // A write batch takes any answer the connection reads: none of a stopped search may be left.
            var seen = 0
            for try await _ in connection.search(parentsRequest(server, pageSize: 100)) {
                seen += 1
                if seen == 150 { break }
            }
            var batch = WriteBatch()
            for n in 0..<20 { batch.append(.modify(ModifyRequest(dn: parentEntry(server, uid: "s\(n)").dn, modifications: [Modification(.replace, "mail", ["s\(n)@example.org"])]))) }
            let outcomes = try await connection.run(batch)
            #expect(outcomes.count == 20 && outcomes.allSatisfy { $0.succeeded })
            // While a search is being read, a write batch on its connection is refused, not fed its entries.
            var during = 0
            for try await _ in connection.search(parentsRequest(server, pageSize: 100)) {
                during += 1
                if during == 10 {
                    await #expect {
                        _ = try await connection.run(batch)
                    } throws: { error in
                        (error as? LDAPError)?.code == .localError
                    }
                }
            }
            #expect(during == 600)
            // A search dropped without reading past its first page.
            do {
                var iterator = connection.search(parentsRequest(server, pageSize: 100)).makeAsyncIterator()
                _ = try await iterator.next()
            }
            #expect(try await connection.searchAll(parentsRequest(server, pageSize: 100)).count == 600)
        }
    }

    @Test func aLimitReachedOnALaterPageIsThrownAfterTheEarlierPagesEntries() async throws {
        // Anonymous may read everything here, but a paged search of at most 150 entries in all.
        let rules = """
            limits anonymous size=500 size.prtotal=150
            access to * by * read
            """
        try await withSlapd(SlapdOptions(accessRules: rules)) { server in
            // The rootdn writes: the rules here give the sync nothing.
            let writer = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, operationTimeout: 30))
            try await writer.bind(dn: server.adminDN, password: Secret(server.adminPassword))
            try await addParents(server, writer, prefix: "l", count: 400)
            let anonymous = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL, operationTimeout: 30))
            var seen = 0
            await #expect {
                for try await _ in anonymous.search(parentsRequest(server, pageSize: 100)) { seen += 1 }
            } throws: { error in
                (error as? LDAPError)?.code == .sizeLimitExceeded
            }
            #expect(seen == 100)
            // Unpaged, the 500 entries that came with the error are not handed out as a whole directory.
            try await addParents(server, writer, prefix: "m", count: 200)
            await #expect {
                _ = try await anonymous.searchAll(parentsRequest(server, pageSize: 0))
            } throws: { error in
                (error as? LDAPError)?.code == .sizeLimitExceeded
            }
        }
    }

    @Test func binaryAndNULValuesAndEveryAttributeComeBackAsStored() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let photo: [UInt8] = [0x00, 0xFF, 0xD8, 0x00] + (0..<5_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let add = parentEntry(server, uid: "bytes", extra: [
                Attribute("jpegPhoto", values: [photo, [0x00]]),
                Attribute("misChildRef", (0..<300).map { "5301234/P\($0)" }),
                Attribute("description", ["Zoë Ann"]),
            ])
            try await connection.add(add)
            let request = SearchRequest(
                base: add.dn, scope: .base, filter: .present("objectClass"),
                attributes: ["objectClass", "uid", "cn", "sn", "misParentId", "jpegPhoto", "misChildRef", "description"])
            let entry = try #require(try await connection.searchAll(request).first)
            #expect(entry.dn == add.dn)
            #expect(Set(entry["jpegPhoto"]?.values ?? []) == [photo, [0x00]])
            #expect(Set(entry.strings("MISCHILDREF")) == Set((0..<300).map { "5301234/P\($0)" }))
            #expect(entry.string("description") == "Zoë Ann")
            #expect(Set(entry.attributes.map(\.name)) == Set(request.attributes))
        }
    }

    @Test func aStartedSearchIsAnsweredMeanwhileAndGivesWhatSearchAllGives() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await addParents(server, connection, prefix: "s", count: 120)
            let started = connection.startSearch(parentsRequest(server, pageSize: 50))
            let expected = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await expected.bind(dn: server.syncDN, password: Secret(server.syncPassword))
            let all = try await expected.searchAll(parentsRequest(server, pageSize: 50))
            #expect(all.count == 120)
            #expect(try await started.entries() == all)
            // Read to its end: nothing is left on the connection.
            #expect(try await connection.run(WriteBatch()).isEmpty)
        }
    }

    @Test func aBatchWhileAStartedSearchHasPagesToComeIsRefusedAndOneDroppedUnreadLeavesNothing() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            try await addParents(server, connection, prefix: "b", count: 60)
            var started: StartedSearch? = connection.startSearch(parentsRequest(server, pageSize: 10))
            await #expect {
                _ = try await connection.run(WriteBatch())
            } throws: { error in
                (error as? LDAPError)?.code == .localError
            }
            #expect(try await started?.entries().count == 60)

            started = connection.startSearch(parentsRequest(server, pageSize: 10))
            started = nil
            var batch = WriteBatch()
            batch.append(.add(parentEntry(server, uid: "after")))
            #expect(try await connection.run(batch) == [.succeeded])
            #expect(try await connection.searchAll(parentsRequest(server, pageSize: 100)).count == 61)
        }
    }
}
