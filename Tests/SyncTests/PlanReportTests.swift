import Directory
import Foundation
@testable import SlapdHarness
import Testing

@testable import Sync

/// `plan` on a real directory: it writes nothing, and its reports are what Part B promises.
@Suite struct PlanReportTests {
    static let pupils = [
        ExportPupil("P1", upn: "A700000000001", "Tom", "Reed"), ExportPupil("P2", upn: "A700000000002", "Mia", "O'Neil"),
    ]

    static var export: CanonicalExport {
        var export = CanonicalExport(school: "5301234")
        export.add(pupils[0], ExportContact("C1", "Ann", "Reed", email: "ann@example.org"), ExportContact("C2", "Ian", "Reed", relationship: "Father"))
        export.add(pupils[1], ExportContact("C3", "Zoë", "O'Neil", mobile: "07700 900123"))
        return export
    }

    /// A site whose directory holds the pupils and `export` applied (the caller removes it).
    static func appliedSite(_ server: SlapdServer) async throws -> SyncSite {
        try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
        let site = try SyncSite(server: server)
        try site.write(export)
        try await site.apply()
        return site
    }

    @Test func planWritesNothingToTheDirectory() async throws {
        try await withSlapd { server in
            let site = try await Self.appliedSite(server)
            defer { site.remove() }
            // The next export would change, link, revoke and create: plan must still write none of it.
            var next = Self.export
            next.change(contact: "C2") { $0.courtOrder = true }
            next.change(contact: "C1") { $0.email = "ann.reed@example.org" }
            next.add(ExportPupil("P3", upn: "A700000000003", "Kay", "Bell"), ExportContact("C4", "Lou", "Bell"))
            try site.write(next)

            let directory = DirectoryInspector(server: server)
            let before = try directory.dump()
            for format in PlanReport.Format.allCases {
                let run = try site.cli("plan", "--format", format.rawValue, "--save", site.folder.file("plan-\(format).json"))
                #expect(run.status == 0, "\(format): \(run.standardError)")
            }
            let prepared = try await site.prepare()
            #expect(prepared.plan.summary.create == 1 && prepared.plan.summary.unlink >= 1 && prepared.plan.summary.update >= 1)
            #expect(try directory.dump() == before)
        }
    }

    /// A parent's e-mail changed in the MIS, and a mobile given for the first time: every report of the dry
    /// run shows what each replace takes away, and the saved plan (which `apply --plan` reads) keeps it.
    @Test func everyReportShowsWhatAReplaceFoundInTheEntry() async throws {
        try await withSlapd { server in
            let site = try await Self.appliedSite(server)
            defer { site.remove() }
            var next = Self.export
            next.change(contact: "C1") { $0.email = "ann.reed@example.org" }
            next.change(contact: "C2") { $0.mobile = "07700 900456" }
            try site.write(next)

            let text = try site.cli("plan", "--format", "text", "--save", site.folder.file("saved.json"))
            #expect(text.status == 0, "\(text.standardError)")
            #expect(text.standardOutput.contains("= mail: ann.reed@example.org (was ann@example.org)"), "\(text.standardOutput)")
            #expect(text.standardOutput.contains("= mobile: +447700900456 (was not set)"), "\(text.standardOutput)")
            let html = try site.cli("plan", "--format", "html").standardOutput
            #expect(html.contains("= mail: ann.reed@example.org (was ann@example.org)"))
            let csv = try site.cli("plan", "--format", "csv").standardOutput
            #expect(csv.contains("replace mail: ann.reed@example.org (was ann@example.org)"), "\(csv)")

            let json = try #require(try JSONSerialization.jsonObject(with: Data(site.cli("plan", "--format", "json").standardOutput.utf8)) as? [String: Any])
            let modifications = (json["changes"] as? [[String: Any]] ?? []).flatMap { $0["modifications"] as? [[String: Any]] ?? [] }
            let mail = try #require(modifications.first { $0["attribute"] as? String == "mail" })
            #expect(mail["previous"] as? [String] == ["ann@example.org"] && mail["values"] as? [String] == ["ann.reed@example.org"])
            #expect(modifications.first { $0["attribute"] as? String == "mobile" }?["previous"] as? [String] == [])

            let saved = try String(contentsOfFile: site.folder.file("saved.json"), encoding: .utf8)
            #expect(saved.contains("\"previous\""), "the saved plan keeps it")
            let apply = try site.cli("apply", "--plan", site.folder.file("saved.json"))
            #expect(apply.status == 0, "\(apply.standardError)")
            #expect(try site.cli("plan", "--format", "text").standardOutput.contains("update 0"))
        }
    }

    @Test func jsonReportHasPartBKeysForChangesAndHeldChanges() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, safety: SyncSite.Safety())
            defer { site.remove() }
            try site.write(SafetySyncTests.tenFamilies)
            try await site.apply()
            var truncated = SafetySyncTests.tenFamilies.truncated(to: 3)
            truncated.change(contact: "C01") { $0.courtOrder = true }
            truncated.change(contact: "C02") { $0.email = "new@example.org" }
            try site.write(truncated)

            let run = try site.cli("plan", "--format", "json")
            #expect(run.status == 0, "\(run.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            let summary = try #require(json["summary"] as? [String: Any])
            let actions = ["create", "update", "disable", "enable", "delete", "link", "unlink"]
            for key in actions + ["unchanged", "held"] {
                #expect(summary[key] is Int, "summary.\(key)")
            }
            #expect(summary["disable"] as? Int == 1)
            #expect(summary["unlink"] as? Int == 1)
            #expect(summary["update"] as? Int == 1)
            let changes = try #require(json["changes"] as? [[String: Any]])
            #expect(!changes.isEmpty)
            for change in changes {
                #expect(actions.contains(change["action"] as? String ?? ""), "action is a summary key")
                #expect(change["dn"] is String)
                #expect(change["parent_id"] is String)
                #expect(change["reasons"] is [String])
                if change["action"] as? String == "unlink" { #expect(change["pupil"] as? String == "5301234/P01") }
            }
            let held = try #require(json["held"] as? [[String: Any]])
            #expect(held.count == summary["held"] as? Int)
            #expect(!held.isEmpty)
            for item in held {
                #expect(item["gate"] as? String == "source-shrunk")
                #expect(item["action"] is String && item["dn"] is String && item["reasons"] is [String])
            }
            #expect(json["warnings"] is [Any])
        }
    }

    @Test func ldifReportOfAFirstRunIsAcceptedByLdapmodifyOnAFreshServer() async throws {
        let pupilsLDIF = { (base: String) in pupilEntriesLDIF(Self.pupils, under: base) }
        try await withSlapd { server in
            try server.add(ldif: pupilsLDIF(server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let ldifFile = site.folder.file("plan.ldif")
            let plan = try site.cli("plan", "--format", "ldif", "--output", ldifFile)
            #expect(plan.status == 0, "\(plan.standardError)")
            let expected = try await site.prepare().plan

            try await withSlapd { fresh in
                try fresh.add(ldif: pupilsLDIF(fresh.pupilsBase))
                let result = try Tool.run(
                    Tool.ldapmodify, ["-a", "-c", "-x", "-H", fresh.ldapURL, "-D", fresh.adminDN, "-w", fresh.adminPassword, "-f", ldifFile])
                #expect(result.status == 0, "\(result.standardError)")
                let inspector = DirectoryInspector(server: fresh)
                let parents = try await inspector.entries(under: fresh.parentsBase, filter: "(objectClass=misParent)")
                #expect(Set(parents.map { $0.dn.lowercased() })
                    == Set(expected.changes.filter { $0.action == .create }.map { $0.dn.lowercased() }))
                #expect(parents.contains { $0.strings("sn") == ["O'Neil"] && $0.strings("givenName") == ["Zoë"] })
                let members = try #require(try await inspector.groupMembers(site.parentGroup))
                #expect(members == Set(parents.map { $0.dn.lowercased() }))
            }
        }
    }

    @Test func ldifReportOfASecondRunAppliedWithLdapmodifyLeavesNothingToDo() async throws {
        let scenario = SyncScenarioTests.self
        try await withSlapd { server in
            let pupils = [scenario.tom, scenario.mia, scenario.leo, scenario.lily, scenario.ben, scenario.zac]
            try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(scenario.firstExport)
            try await site.apply()
            try site.write(scenario.secondExport)
            let ldifFile = site.folder.file("run2.ldif")
            #expect(try site.cli("plan", "--format", "ldif", "--output", ldifFile).status == 0)
            let ldif = try String(contentsOfFile: ldifFile, encoding: .utf8)
            #expect(ldif.contains("changetype: modify") && ldif.contains("delete: misChildRef") && ldif.contains("delete: member"))

            // IT applies the reviewed LDIF by hand instead of `apply`: the directory ends as apply leaves it.
            let result = try Tool.run(
                Tool.ldapmodify, ["-c", "-x", "-H", server.ldapURL, "-D", server.adminDN, "-w", server.adminPassword, "-f", ldifFile])
            #expect(result.status == 0, "\(result.standardError)")
            let after = try await site.prepare().plan
            #expect(after.changes.isEmpty, "\(after.changes.map { "\($0.action) \($0.dn) \($0.pupil ?? "")" })")
            #expect(after.roleGroup == nil)
        }
    }

    @Test func htmlReportIsOneSelfContainedPageWithCountsAndASearchBox() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let run = try site.cli("plan", "--format", "html")
            #expect(run.status == 0, "\(run.standardError)")
            let html = run.standardOutput
            #expect(html.hasPrefix("<!DOCTYPE html>") || html.hasPrefix("<!doctype html>"))
            #expect(!html.lowercased().contains("http:") && !html.lowercased().contains("https:"), "nothing fetched from elsewhere")
            #expect(!html.contains("<link") && !html.contains(" src="))
            #expect(html.contains("type=\"search\""))
            #expect(html.contains("create"))
            #expect(html.contains("O&#39;Neil") || html.contains("O&apos;Neil") || html.contains("O'Neil"))
            let creates = try await site.prepare().plan.summary.create
            #expect(creates == 3)
            #expect(html.range(of: #">\s*3\s*<"#, options: .regularExpression) != nil, "the create count is shown")
        }
    }

    @Test func csvReportHasARowPerChange() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export)
            let run = try site.cli("plan", "--format", "csv")
            #expect(run.status == 0, "\(run.standardError)")
            let rows = run.standardOutput.split(whereSeparator: \.isNewline)
            let plan = try await site.prepare().plan
            #expect(rows.count == plan.changes.count + plan.held.count + 1)
        }
    }
}
