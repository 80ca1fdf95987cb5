import SlapdHarness
import Testing

@testable import Directory

@Suite struct PasswordModifyTests {
    @Test func passwordSetByTheSyncAccountLetsTheParentBind() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "newparent")
            try await connection.add(request)
            let generated = try await connection.modifyPassword(PasswordModifyRequest(userDN: request.dn, newPassword: Secret("Kestrel-42-Orbit")))
            #expect(generated == nil)
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await parent.bind(dn: request.dn, password: Secret("Kestrel-42-Orbit"))
            let other = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            await #expect { try await other.bind(dn: request.dn, password: Secret("wrong")) } throws: { ($0 as? LDAPError)?.code == .invalidCredentials }
        }
    }

    @Test func serverGeneratesAPasswordWhenNoneIsGiven() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "generated")
            try await connection.add(request)
            let generated = try #require(try await connection.modifyPassword(PasswordModifyRequest(userDN: request.dn, newPassword: nil)))
            #expect(!generated.bytes.isEmpty)
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await parent.bind(dn: request.dn, password: generated)
        }
    }

    @Test func lockedAccountCannotBindEvenWithTheRightPassword() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            let request = parentEntry(server, uid: "locked")
            try await connection.add(request)
            try await connection.modifyPassword(PasswordModifyRequest(userDN: request.dn, newPassword: Secret("Right-Password-1")))
            try await connection.modify(ModifyRequest(dn: request.dn, modifications: [Modification(.replace, "pwdAccountLockedTime", ["000001010000Z"])]))
            let parent = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            await #expect {
                try await parent.bind(dn: request.dn, password: Secret("Right-Password-1"))
            } throws: { ($0 as? LDAPError)?.code == .invalidCredentials }

            try await connection.modify(ModifyRequest(dn: request.dn, modifications: [Modification(.delete, "pwdAccountLockedTime", values: [])]))
            try await parent.bind(dn: request.dn, password: Secret("Right-Password-1"))
        }
    }
}
