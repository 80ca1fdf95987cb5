import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// What ldap-sync may touch and what it must store as given: only `misParent` entries, and names
/// exactly as the MIS wrote them, however they would read in a filter or a DN.
@Suite struct DirectoryBoundaryTests {
    @Test func entryUnderParentsBaseWithoutMisParentIsNeverTouched() async throws {
        try await withSlapd { server in
            let bystander = "uid=ann.smith,\(server.parentsBase)"
            try server.add(ldif: """
                dn: \(bystander)
                objectClass: inetOrgPerson
                uid: ann.smith
                cn: Ann Smith
                sn: Smith
                mail: ann.smith@staff.example.org

                """)
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            let untouched = try directory.dumpByDN()[bystander]

            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A400000000001", "Tom", "Smith"), ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org"))
            export.add(ExportPupil("P2", upn: "A400000000002", "Mia", "Reed"), ExportContact("C2", "Ian", "Reed", relationship: "Father"))
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)

            let ann = try #require(try await directory.parentsByContact("5301234")["C1"])
            #expect(ann.strings("uid") != ["ann.smith"], "the parent gets another username")
            #expect(ann.dn.lowercased() != bystander.lowercased())
            #expect(try directory.dumpByDN()[bystander] == untouched)

            // Ann leaves the export: her own account is disabled, the bystander still untouched.
            export.remove(pupil: "P1")
            try site.write(export)
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await directory.parentsByContact("5301234")["C1"]?.strings("misAccountStatus") == ["disabled"])
            #expect(try directory.dumpByDN()[bystander] == untouched)
            #expect(try await directory.groupMembers(site.parentGroup)?.contains(bystander.lowercased()) == false)
        }
    }

    @Test func hostileNamesComeBackFromTheDirectoryExactlyAsGiven() async throws {
        let names = [
            ("C1", "*)(uid=*", "Evans"), ("C2", "John", "Smith, Jr"), ("C3", "Patrick", "O'Brien"),
            ("C4", "Zoë", "Núñez"), ("C5", "Dana", "=+<>#;\\\""),
        ]
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            for (index, name) in names.enumerated() {
                export.add(
                    ExportPupil("P\(index + 1)", upn: "A50000000000\(index + 1)", "Child", "Number\(index + 1)"),
                    ExportContact(name.0, name.1, name.2))
            }
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success, "\(outcome.result.failures)")

            let parents = try await DirectoryInspector(server: server).parentsByContact("5301234")
            #expect(parents.count == names.count)
            for (contact, given, family) in names {
                let entry = try #require(parents[contact], "\(given) \(family)")
                #expect(entry.strings("givenName") == [given])
                #expect(entry.strings("sn") == [family])
                #expect(entry.strings("cn") == ["\(given) \(family)"])
                let uid = entry.string("uid") ?? ""
                #expect(uid.range(of: #"^[a-z0-9][a-z0-9._-]*$"#, options: .regularExpression) != nil, "uid \(uid)")
            }
            // And a second run finds them as they are: nothing to change.
            let again = try await site.prepare()
            #expect(again.plan.changes.isEmpty, "\(again.plan.changes.map { "\($0.action) \($0.dn)" })")
        }
    }
}
