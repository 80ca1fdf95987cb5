import Foundation
@testable import SlapdHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The shared test slapd does what every directory test relies on: it answers the names it
/// promises, locks lock, TLS verifies, and nothing outlives a test.
@Suite struct SlapdHarnessTests {
    @Test func answersAdminAndSyncOverLDAPAndAnonymousOverLDAPI() async throws {
        try await withSlapd { server throws in
            #expect(try whoami(server.ldapURL, server.adminDN, server.adminPassword)
                == .init(status: 0, output: "dn:\(server.adminDN)"))
            #expect(try whoami(server.ldapURL, server.syncDN, server.syncPassword)
                == .init(status: 0, output: "dn:\(server.syncDN)"))
            #expect(try whoami(server.ldapiURL) == .init(status: 0, output: "anonymous"))
            #expect(try whoami(server.ldapURL, server.syncDN, "not-the-password").status == 49)
        }
    }

    @Test func lockedParentCannotBindWithTheRightPassword() async throws {
        try await withSlapd { server throws in
            let alice = "uid=alice,\(server.parentsBase)"
            try server.add(ldif: parentEntry(alice, password: "alice-pw-1"))
            #expect(try whoami(server.ldapURL, alice, "alice-pw-1").status == 0)

            // The sync locks it, as a disable does.
            try modify(server, as: server.syncDN, server.syncPassword, """
                dn: \(alice)
                changetype: modify
                replace: pwdAccountLockedTime
                pwdAccountLockedTime: 000001010000Z

                """)
            let locked = try whoami(server.ldapURL, alice, "alice-pw-1", extra: ["-e", "ppolicy"])
            #expect(locked.status == 49)
            #expect(locked.errors.contains("Account locked"))
        }
    }

    @Test func tlsServerVerifiesWithItsCAAndIsRefusedWithAnother() async throws {
        try await withSlapd(SlapdOptions(tls: true)) { server throws in
            let ca = try #require(server.caFile)
            let untrusted = try #require(server.untrustedCAFile)
            let ldaps = try #require(server.ldapsURL)
            let dn = server.syncDN
            let password = server.syncPassword
            #expect(try whoami(server.ldapURL, dn, password, extra: ["-ZZ"], ca: ca).status == 0)
            #expect(try whoami(ldaps, dn, password, ca: ca).status == 0)
            // libldap checks "localhost" as this machine's host name; the certificate names both.
            let port = try #require(server.ldapsPort)
            #expect(try whoami("ldaps://localhost:\(port)", dn, password, ca: ca).status == 0)
            #expect(try whoami(server.ldapURL, dn, password, extra: ["-ZZ"], ca: untrusted).status != 0)
            #expect(try whoami(ldaps, dn, password, ca: untrusted).status != 0)
        }
    }

    @Test func stopEndsSlapdAndItsWatchdogAndFreesThePort() async throws {
        let server = try await SlapdServer.start()
        let watchdog = try #require(watchdogPID(of: server))
        #expect(processExists(server.processID))
        #expect(processExists(watchdog))
        #expect(!portIsFree(server.ldapPort))

        await server.stop()
        #expect(!server.isRunning)
        #expect(!processExists(server.processID))
        #expect(!processExists(watchdog))
        #expect(portIsFree(server.ldapPort))
        #expect(!FileManager.default.fileExists(atPath: server.directory))
        await server.stop()  // a second stop is harmless
    }

    @Test func slapdStopsWhenTheTestProcessDiesWithoutStoppingIt() async throws {
        // A stand-in for a test process that crashes: the watchdog watches it instead of us.
        let standIn = Process()
        standIn.executableURL = URL(fileURLWithPath: "/bin/sleep")
        // Long enough to outlast a slapd start on a loaded machine; the test kills it well before.
        standIn.arguments = ["900"]
        try standIn.run()
        let server = try await SlapdServer.start(SlapdOptions(watchedProcessID: standIn.processIdentifier))
        #expect(server.isRunning)

        kill(standIn.processIdentifier, SIGKILL)
        // The watchdog notices within a second; the bound is for a loaded machine and ends early.
        let deadline = Date().addingTimeInterval(60)
        while server.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!server.isRunning, "slapd outlived the process it watched")
        #expect(server.logTail().contains("slapd stopped"))
        await server.stop()
    }

    @Test func serversStartedTogetherGetTheirOwnPortsAndFolders() async throws {
        async let first = SlapdServer.start()
        async let second = SlapdServer.start()
        let servers = try await [first, second]
        #expect(servers[0].ldapPort != servers[1].ldapPort)
        #expect(servers[0].directory != servers[1].directory)
        for server in servers {
            #expect(try whoami(server.ldapURL, server.adminDN, server.adminPassword).status == 0)
            await server.stop()
        }
    }

    @Test func portTakenBeforeSlapdBindsItIsRetriedWithAnother() async throws {
        // Someone else listens on the port the harness picked first.
        let squatter = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(squatter) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try #require(bind(squatter, $0, length) == 0 && listen(squatter, 1) == 0
                    && getsockname(squatter, $0, &length) == 0)
            }
        }
        let taken = Int(UInt16(bigEndian: address.sin_port))
        let offered = Locked<[[Int]]>([])
        let server = try await SlapdServer.start(SlapdOptions()) { count in
            let first = offered.withLock { $0.isEmpty }
            let ports = first ? [taken] : try FreePort.loopback(count: count)
            offered.withLock { $0.append(ports) }
            return ports
        }
        #expect(offered.withLock { $0.count } == 2)
        #expect(server.ldapPort != taken)
        #expect(try whoami(server.ldapURL, server.adminDN, server.adminPassword).status == 0)
        await server.stop()
    }

    @Test func syncPagesPastTheDefaultSizeLimitButAnUnpagedSearchStops() async throws {
        let pupils = (1...600).map { pupilEntry("uid=pupil\($0),ou=Pupils,dc=example,dc=org") }
        try await withSlapd(SlapdOptions(extraLDIF: pupils.joined(separator: "\n"))) { server throws in
            let asSync = ["-x", "-H", server.ldapURL, "-D", server.syncDN, "-w", server.syncPassword,
                          "-LLL", "-b", server.pupilsBase, "(objectClass=inetOrgPerson)", "1.1"]
            let paged = try Tool.run(Tool.ldapsearch, ["-E", "pr=250/noprompt"] + asSync)
            #expect(paged.status == 0)
            #expect(dnCount(paged.standardOutput) == 600)

            let unpaged = try Tool.run(Tool.ldapsearch, asSync)
            #expect(unpaged.status == 4)  // sizeLimitExceeded
            #expect(dnCount(unpaged.standardOutput) == 500)
        }
    }

    @Test func syncManagesParentsAndGroupsButCannotWritePupils() async throws {
        try await withSlapd { server throws in
            let alice = "uid=alice,\(server.parentsBase)"
            let group = """
                dn: cn=Parents,\(server.groupsBase)
                objectClass: groupOfNames
                cn: Parents
                member: \(alice)

                """
            let added = try modify(server, as: server.syncDN, server.syncPassword,
                                   addRecords(parentEntry(alice, password: "alice-pw-1") + "\n" + group))
            #expect(added.status == 0, "\(added.standardError)")
            let refused = try modify(server, as: server.syncDN, server.syncPassword,
                                     addRecords(pupilEntry("uid=pupil1,\(server.pupilsBase)")))
            #expect(refused.status == 50)  // insufficientAccess
            #expect(try server.search(base: server.parentsBase, filter: "(misParentId=P-alice)", attributes: ["misChildRef"])
                .contains("misChildRef: 5301234/PU1"))
        }
    }

    @Test func fsyncAndQuietLogOptionsReachSlapd() async throws {
        try await withSlapd(SlapdOptions(fsync: true, logOperations: false)) { server throws in
            try server.add(ldif: pupilEntry("uid=pupil1,\(server.pupilsBase)"))
            let configuration = try String(contentsOfFile: server.directory + "/slapd.conf", encoding: .utf8)
            #expect(!configuration.contains("\ndbnosync"))
            #expect(!server.logTail(lines: 1000).contains("ADD dn="))
        }
        try await withSlapd { server throws in
            try server.add(ldif: pupilEntry("uid=pupil1,\(server.pupilsBase)"))
            let configuration = try String(contentsOfFile: server.directory + "/slapd.conf", encoding: .utf8)
            #expect(configuration.contains("\ndbnosync"))
            #expect(server.logTail(lines: 1000).contains("ADD dn=\"uid=pupil1,\(server.pupilsBase)\""))
        }
    }

    @Test func badExtraLDIFFailsStartWithLdapaddsMessage() async throws {
        let error = await #expect(throws: SlapdHarnessError.self) {
            _ = try await SlapdServer.start(SlapdOptions(extraLDIF: "dn: uid=x,ou=Nowhere,dc=example,dc=org\nobjectClass: account\nuid: x\n"))
        }
        #expect(String(describing: error).contains("No such object"))
    }
}

// MARK: - Helpers: the OpenLDAP tools, as a person would run them against the test server.

private struct WhoAmI: Equatable {
    var status: Int32
    var output: String
    var errors = ""

    static func == (lhs: WhoAmI, rhs: WhoAmI) -> Bool {
        lhs.status == rhs.status && lhs.output == rhs.output
    }
}

/// `ldapwhoami` with a simple bind (anonymous without a DN); `ca` makes TLS demand that CA.
private func whoami(
    _ url: String, _ dn: String? = nil, _ password: String? = nil, extra: [String] = [], ca: String? = nil
) throws -> WhoAmI {
    var arguments = ["-x", "-H", url] + extra
    if let dn, let password { arguments += ["-D", dn, "-w", password] }
    let environment = ca.map { ["LDAPTLS_CACERT": $0, "LDAPTLS_REQCERT": "demand"] } ?? [:]
    let result = try Tool.run(Tool.ldapwhoami, arguments, environment: environment, ldapDefaults: true)
    return WhoAmI(
        status: result.status,
        output: result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines),
        errors: result.standardError)
}

/// `ldapmodify` bound as `dn` over the plain port, with `ldif` (changetype records).
@discardableResult
private func modify(_ server: SlapdServer, as dn: String, _ password: String, _ ldif: String) throws -> ToolResult {
    let file = URL(fileURLWithPath: server.directory).appendingPathComponent("modify-\(UUID().uuidString).ldif")
    try Data(ldif.utf8).write(to: file)
    let result = try Tool.run(Tool.ldapmodify, ["-x", "-H", server.ldapURL, "-D", dn, "-w", password, "-f", file.path])
    return result
}

private func parentEntry(_ dn: String, password: String) -> String {
    """
    dn: \(dn)
    objectClass: inetOrgPerson
    objectClass: misParent
    uid: alice
    cn: Alice Parent
    sn: Parent
    userPassword: \(password)
    misParentId: P-alice
    misContactRef: 5301234/C1
    misChildRef: 5301234/PU1
    misRole: Parent
    misAccountStatus: active

    """
}

private func pupilEntry(_ dn: String) -> String {
    let uid = dn.split(separator: ",")[0].dropFirst(4)
    return """
        dn: \(dn)
        objectClass: inetOrgPerson
        uid: \(uid)
        cn: Pupil \(uid)
        sn: Pupil

        """
}

/// Entries as ldapmodify add records: `changetype: add` after each `dn:` line.
private func addRecords(_ ldif: String) -> String {
    ldif.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("dn: ") ? "\($0)\nchangetype: add" : String($0) }
        .joined(separator: "\n")
}

private func dnCount(_ ldif: String) -> Int {
    ldif.split(separator: "\n").count { $0.hasPrefix("dn: ") }
}

private func watchdogPID(of server: SlapdServer) -> Int32? {
    (try? String(contentsOfFile: server.directory + "/watchdog.pid", encoding: .utf8))
        .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Whether nothing listens on 127.0.0.1:`port` (a bind to it succeeds).
private func portIsFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    // As slapd does: a connection of ours lingering in TIME_WAIT does not make the port busy.
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
