import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// `plan --save` then `apply --plan`: IT applies what it reviewed, or nothing when the world moved on.
@Suite struct SavedPlanTests {
    static var export: CanonicalExport {
        var export = CanonicalExport(school: "5301234")
        export.add(ExportPupil("P1", upn: "A300000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed", email: "ann@example.org"))
        export.add(ExportPupil("P2", upn: "A300000000002", "Mia", "Lane"), ExportContact("C2", "Ian", "Lane", relationship: "Father"))
        return export
    }

    @Test func savedPlanIsAppliedAsReviewed() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let planFile = try savePlan(site)
            let saved = try SavedPlan.read(from: planFile)
            #expect(saved.plan.summary.create == 2)

            let apply = try site.cli("apply", "--plan", planFile)
            #expect(apply.status == 0, "\(apply.standardOutput)\(apply.standardError)")
            let parents = try await DirectoryInspector(server: server).parentsByContact("5301234")
            #expect(Set(parents.values.map { $0.dn }) == Set(saved.plan.changes.filter { $0.action == .create }.map(\.dn)))
        }
    }

    @Test func savedPlanIsStaleWhenAnAdminEditsAManagedEntryInBetween() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            try await site.apply()
            var next = Self.export
            next.add(ExportPupil("P3", upn: "A300000000003", "Kay", "Bell"), ExportContact("C3", "Lou", "Bell"))
            try site.write(next)
            let planFile = try savePlan(site)

            let directory = DirectoryInspector(server: server)
            let ann = try #require(try await directory.parentsByContact("5301234")["C1"])
            let admin = try await directory.connect()
            try await admin.modify(ModifyRequest(dn: ann.dn, modifications: [Modification(.replace, "mail", ["edited@example.org"])]))
            await admin.close()

            let apply = try site.cli("apply", "--plan", planFile)
            #expect(apply.status == 6, "\(apply.standardOutput)\(apply.standardError)")
            #expect(apply.standardError.contains("stale"))
            #expect(try await directory.parentsByContact("5301234")["C3"] == nil, "nothing of the stale plan is written")
        }
    }

    @Test func savedPlanIsStaleWhenTheSourceFileChangesInBetween() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let planFile = try savePlan(site)

            var changed = Self.export
            changed.change(contact: "C2") { $0.email = "ian@example.org" }
            try site.write(changed)
            let apply = try site.cli("apply", "--plan", planFile)
            #expect(apply.status == 6, "\(apply.standardOutput)\(apply.standardError)")
            #expect(apply.standardError.contains("the sources"))
            #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").isEmpty)
        }
    }

    @Test func savedPlanIsStaleWhenItsNewUsernameIsTakenElsewhereInBetween() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let planFile = try savePlan(site)
            let saved = try SavedPlan.read(from: planFile)
            #expect(saved.plan.changes.contains { $0.dn == "uid=ann.reed,\(server.parentsBase)" })

            // A member of staff called ann.reed arrives before IT applies: the reviewed username is gone.
            try server.add(ldif: """
                dn: uid=ann.reed,ou=Services,\(server.suffix)
                objectClass: inetOrgPerson
                uid: ann.reed
                cn: Ann Reed
                sn: Reed

                """)
            let apply = try site.cli("apply", "--plan", planFile)
            #expect(apply.status == 6, "\(apply.standardOutput)\(apply.standardError)")
            let owners = try await DirectoryInspector(server: server).entries(under: server.suffix, filter: "(uid=ann.reed)")
            #expect(owners.count == 1, "a username is never given twice")
        }
    }

    /// `plan --save` as IT runs it before review; the saved plan's path.
    func savePlan(_ site: SyncSite) throws -> String {
        let path = site.folder.file("reviewed.json")
        let plan = try site.cli("plan", "--save", path)
        #expect(plan.status == 0, "\(plan.standardError)")
        return path
    }
}
