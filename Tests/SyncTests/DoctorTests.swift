import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// `ldap-sync doctor` against a real slapd: the lookup Moodle's auth_ldap makes, the role group, the lock,
/// and with `--probe` what a parent bound as themselves can read under schema/README.md's access rules
/// and under rules that let everyone read everything.
@Suite struct DoctorTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A100000000001", "Tom", "Smith")
    static let mia = ExportPupil("P2", upn: "A100000000002", "Mia", "Jones")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")
    static let kate = ExportContact("C3", "Kate", "Jones", email: "kate.jones@example.org")

    static var export: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(mia, kate)
        return export
    }

    @Test func cleanDirectoryIsAllWellAndEachProblemIsOneLineWithItsFix() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            try await site.apply()
            var withOrder = Self.export
            withOrder.change(contact: "C2") { $0.courtOrder = true }
            try site.write(withOrder)
            try await site.apply()

            // Ann and Kate active, David disabled and locked: nothing to report.
            let clean = try site.cli("doctor")
            #expect(clean.status == 0, "\(clean.standardOutput)")
            #expect(clean.standardOutput.contains("ok       2 active parents found exactly once by the lookup and in the role group"))
            #expect(clean.standardOutput.contains("ok       1 disabled or pending parent not found by the lookup, or locked"))
            #expect(!clean.standardOutput.contains("PROBLEM"))

            // Three things go wrong by hand: Kate leaves the role group, David's lock is removed, and a
            // hand-made entry takes Ann's username.
            let connection = try await DirectoryInspector(server: server).connect()
            try await connection.modify(ModifyRequest(dn: site.parentGroup, modifications: [
                Modification(.delete, "member", ["uid=kate.jones,\(server.parentsBase)"]),
            ]))
            try await connection.modify(ModifyRequest(dn: "uid=david.smith,\(server.parentsBase)", modifications: [
                Modification(.delete, "pwdAccountLockedTime", []),
            ]))
            try await connection.add(AddRequest(dn: "cn=Ann Smith (old),\(server.parentsBase)", attributes: [
                Attribute("objectClass", ["inetOrgPerson"]), Attribute("cn", ["Ann Smith (old)"]), Attribute("sn", ["Smith"]),
                Attribute("uid", ["ann.smith"]),
            ]))
            await connection.close()

            // The Moodle example's filter hides the disabled parent and the hand-made entry; a filter
            // that lets every person through (a bare word, as Moodle's setting may hold) shows both.
            let run = try site.cli("doctor", "--objectclass", "inetOrgPerson")
            #expect(run.status == 1)
            let problems = run.standardOutput.split(separator: "\n").filter { $0.hasPrefix("PROBLEM") }
            #expect(problems.count == 3, "\(run.standardOutput)")
            #expect(problems.contains { $0.contains("kate.jones (active) is not in the role group \(site.parentGroup); fix: run `ldap-sync apply`") })
            #expect(problems.contains { $0.contains("david.smith (disabled) is found by the lookup and carries no lock: they can still log in; fix: run `ldap-sync apply`") })
            #expect(problems.contains {
                $0.contains("ann.smith (active) is found 2 times") && $0.contains("fix: remove or rename uid ann.smith on cn=Ann Smith (old),\(server.parentsBase)")
            })

            // With the default filter only the group problem is left; a filter slapd cannot parse is a problem too.
            let defaults = try site.cli("doctor", "--vle", "moodle")
            #expect(defaults.status == 1)
            #expect(defaults.standardOutput.contains("no VLE configured"))
            #expect(defaults.standardOutput.split(separator: "\n").filter { $0.hasPrefix("PROBLEM") }.count == 1)
            let broken = try site.cli("doctor", "--objectclass", "(&(objectClass=misParent)")
            #expect(broken.status == 1)
            #expect(broken.standardOutput.contains("is not a valid LDAP filter"))

            // apply repairs what it owns: the group and the lock (the hand-made entry is not its to touch).
            try await site.apply()
            let repaired = try site.cli("doctor")
            #expect(repaired.status == 0, "\(repaired.standardOutput)")
        }
    }

    /// schema/README.md's access rules, exactly as written there.
    static func readmeAccessRules() throws -> String {
        let readme = try String(contentsOfFile: repositoryFile("schema/README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- access-rules:begin -->\n```\n"))
        let end = try #require(readme.range(of: "```\n<!-- access-rules:end -->"))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// The VLE's reader the README's rules name, with its password.
    static let vleReaderLDIF = """
        dn: cn=vle-reader,ou=Services,dc=example,dc=org
        objectClass: applicationProcess
        objectClass: simpleSecurityObject
        cn: vle-reader
        userPassword: reader-secret

        """

    /// What many directories have: Debian's `to * by * read`, with the sync given its rights on top.
    static let everyoneReadsRules = """
        access to attrs=userPassword
            by dn.exact="cn=ldap-sync,ou=Services,dc=example,dc=org" manage
            by self write
            by anonymous auth
            by * none
        access to dn.subtree="ou=Parents,dc=example,dc=org"
            by dn.exact="cn=ldap-sync,ou=Services,dc=example,dc=org" manage
            by * read
        access to dn.subtree="ou=Groups,dc=example,dc=org"
            by dn.exact="cn=ldap-sync,ou=Services,dc=example,dc=org" write
            by * read
        access to *
            by * read
        """

    @Test func probeFindsNoOverBroadReadUnderTheReadmeRules() async throws {
        let options = SlapdOptions(extraLDIF: Self.vleReaderLDIF, accessRules: try Self.readmeAccessRules())
        try await withSlapd(options) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            #expect(try await site.apply().exitStatus == .success)

            let run = try site.cli("doctor", "--probe")
            #expect(run.status == 0, "\(run.standardOutput)")
            #expect(run.standardOutput.contains("ok       the lock (pwdAccountLockedTime: 000001010000Z) refuses a locked parent's bind with the right password"))
            #expect(run.standardOutput.contains("ok       an unlocked parent binds with their password"))
            #expect(run.standardOutput.contains("ok       a parent bound as themselves cannot read another parent's entry"))
            #expect(run.standardOutput.contains("ok       a parent bound as themselves cannot read the role group's members"))
            #expect(run.standardOutput.contains("the probe's throwaway parents were removed"))
            try await Self.expectProbeGone(server, site: site)

            // The reader the rules name can do what a VLE needs: find a parent by the Moodle filter.
            let reader = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
            try await reader.bind(dn: "cn=vle-reader,ou=Services,dc=example,dc=org", password: Secret("reader-secret"))
            let found = try await reader.searchAll(SearchRequest(
                base: server.parentsBase, scope: .oneLevel, rawFilter: VLELookup(contexts: server.parentsBase, objectClass: nil, searchSubtree: false).filter(for: "ann.smith"),
                attributes: ["uid", "mobile"], pageSize: 0))
            await reader.close()
            #expect(found.map(\.dn) == ["uid=ann.smith,\(server.parentsBase)"])
            #expect(found.first?.strings("mobile").isEmpty == true)
        }
    }

    @Test func probeWarnsWhenEveryoneReadsEverything() async throws {
        try await withSlapd(SlapdOptions(accessRules: Self.everyoneReadsRules)) { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            try await site.apply()

            let run = try site.cli("doctor", "--probe")
            #expect(run.status == 1)
            let warnings = run.standardOutput.split(separator: "\n").filter { $0.hasPrefix("WARNING") }
            #expect(warnings.count == 2, "\(run.standardOutput)")
            #expect(warnings.contains { $0.contains("can read 4 other entries under \(server.parentsBase)") && $0.contains("fix: load the access rules of schema/README.md") })
            #expect(warnings.contains { $0.contains("can read the role group's members") })
            #expect(run.standardOutput.contains("ok       the lock (pwdAccountLockedTime: 000001010000Z) refuses"))
            try await Self.expectProbeGone(server, site: site)
        }
    }

    static func expectProbeGone(_ server: SlapdServer, site: SyncSite) async throws {
        let directory = DirectoryInspector(server: server)
        #expect(try await directory.entries(under: server.parentsBase, filter: "(uid=ldap-sync-probe-*)").isEmpty)
        #expect(try await directory.groupMembers(site.parentGroup)?.contains { $0.contains("ldap-sync-probe") } == false)
    }
}

/// A file of this repository, found from this source file's path.
func repositoryFile(_ path: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(path).path
}
