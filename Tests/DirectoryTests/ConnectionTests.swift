import Foundation
import SlapdHarness
import Testing

@testable import Directory

@Suite struct ConnectionTests {
    @Test func connectionRefusedWhenNothingListensIsAClearErrorNotAHang() async throws {
        let port = try unusedLoopbackPort()
        await #expect {
            _ = try await LDAPConnection.connect(ConnectionOptions(url: "ldap://127.0.0.1:\(port)", connectTimeout: 5))
        } throws: { error in
            guard let error = error as? LDAPError else { return false }
            return error.code == .serverDown && error.description.contains("127.0.0.1:\(port)")
        }
    }

    @Test func malformedURLIsRefused() async throws {
        await #expect(throws: LDAPError.self) {
            _ = try await LDAPConnection.connect(ConnectionOptions(url: "http://example.org"))
        }
    }

    @Test func syncAccountBindsOverLDAPAndLDAPI() async throws {
        try await withSlapd { server in
            let tcp = try await connectAsSync(server)
            await tcp.close()
            let local = try await connectAsSync(server, url: server.ldapiURL)
            let base = try await local.searchAll(SearchRequest(base: server.parentsBase, scope: .base, filter: .present("objectClass")))
            #expect(base.count == 1)
            await local.close()
        }
    }

    @Test func plainConnectionsReadAheadAndAnEntryLargerThanTheBufferComesBackWhole() async throws {
        try await withSlapd { server in
            let tcp = try await connectAsSync(server)
            let local = try await connectAsSync(server, url: server.ldapiURL)
            #expect(try await tcp.readsAhead)
            #expect(try await local.readsAhead)
            // Three buffers' worth in one value, between small entries: a message read in many parts.
            let photo = (0..<(3 * LDAPConnection.readAheadBytes + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var batch = WriteBatch()
            for n in 0..<300 {
                let extra = n == 150 ? [Attribute("jpegPhoto", values: [photo])] : [Attribute("mail", ["p\(n)@example.org"])]
                batch.append(.add(parentEntry(server, uid: "ra\(n)", extra: extra)))
            }
            #expect(try await tcp.run(batch).allSatisfy(\.succeeded))
            for connection in [tcp, local] {
                let request = SearchRequest(
                    base: server.parentsBase, scope: .oneLevel, filter: .equal("objectClass", "misParent"),
                    attributes: ["uid", "mail", "jpegPhoto"], pageSize: 40)
                var seen: [String: Entry] = [:]
                for try await entry in connection.search(request) { seen[entry.string("uid") ?? ""] = entry }
                #expect(seen.count == 300)
                #expect(seen["ra150"]?["jpegPhoto"]?.values == [photo])
                #expect(seen["ra299"]?.string("mail") == "p299@example.org")
                #expect(seen["ra0"]?.string("mail") == "p0@example.org")
            }
        }
    }

    @Test func wrongPasswordIsInvalidCredentialsNamingTheDN() async throws {
        try await withSlapd { server in
            let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            await #expect {
                try await connection.bind(dn: server.syncDN, password: Secret("not the password"))
            } throws: { error in
                let error = error as? LDAPError
                return error?.code == .invalidCredentials && error?.code.name == "invalidCredentials"
                    && error?.dn == server.syncDN
            }
        }
    }

    @Test func emptyPasswordIsRefusedBeforeItBecomesAnAnonymousBind() async throws {
        try await withSlapd { server in
            let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            await #expect(throws: LDAPError.self) { try await connection.bind(dn: server.syncDN, password: Secret("")) }
        }
    }

    @Test func closedConnectionFailsWithServerDown() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            await connection.close()
            await connection.close()
            await #expect {
                try await connection.delete(DeleteRequest(dn: "uid=x,\(server.parentsBase)"))
            } throws: { ($0 as? LDAPError)?.code == .serverDown }
        }
    }

    @Test func secretsNeverShowInDescriptions() {
        let secret = Secret("hunter2")
        #expect(!"\(secret)".contains("hunter2"))
        #expect(!String(reflecting: secret).contains("hunter2"))
    }
}

/// A loopback port nothing listens on: bind to port 0, read the port, close.
func unusedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
