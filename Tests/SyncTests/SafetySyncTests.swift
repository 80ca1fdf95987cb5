import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A broken export must never lock out a school, and must never hold back a revocation: checked in a
/// real directory through the `ldap-sync` command line.
@Suite struct SafetySyncTests {
    static let school = "5301234"

    /// Ten pupils, each with one parent (contact `C01`…`C10`).
    static var tenFamilies: CanonicalExport {
        var export = CanonicalExport(school: school)
        for number in 1...10 {
            let id = String(format: "%02d", number)
            export.add(
                ExportPupil("P\(id)", upn: "B1000000000\(id)", "Child", "Family\(id)"),
                ExportContact("C\(id)", "Parent", "Family\(id)", email: "parent\(id)@example.org"))
        }
        return export
    }

    @Test func truncatedExportIsHeldWhileItsCourtOrderIsAppliedAndAcceptLimitsReleasesTheRest() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, safety: SyncSite.Safety())
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            try site.write(Self.tenFamilies)
            #expect(try await site.apply().exitStatus == .success)

            // Only two rows survive, and one of them now carries a court order.
            var truncated = Self.tenFamilies.truncated(to: 2)
            truncated.change(contact: "C01") { $0.courtOrder = true }
            try site.write(truncated)
            let held = try site.cli("apply")
            #expect(held.status == 3, "\(held.standardOutput)\(held.standardError)")
            #expect(held.standardOutput.contains("[source-shrunk] disable uid=parent.family03,\(server.parentsBase)"))
            #expect(held.standardOutput.contains("[source-shrunk] unlink uid=parent.family03,\(server.parentsBase) child \(Self.school)/P03"))

            var parents = try await directory.parentsByContact(Self.school)
            let revoked = try #require(parents["C01"])
            #expect(revoked.strings("misChildRef").isEmpty, "the court order is applied in the held run")
            #expect(revoked.strings("misAccountStatus") == ["disabled"])
            #expect(revoked.strings("pwdAccountLockedTime") == ["000001010000Z"])
            #expect(parents["C02"]?.strings("misAccountStatus") == ["active"])
            for number in 3...10 {
                let entry = try #require(parents[String(format: "C%02d", number)])
                #expect(entry.strings("misAccountStatus") == ["active"], "held: \(entry.dn)")
                #expect(entry.strings("misChildRef").count == 1, "held: \(entry.dn)")
            }

            let accepted = try site.cli("apply", "--accept-limits")
            #expect(accepted.status == 0, "\(accepted.standardOutput)\(accepted.standardError)")
            parents = try await directory.parentsByContact(Self.school)
            for number in 3...10 {
                let entry = try #require(parents[String(format: "C%02d", number)])
                #expect(entry.strings("misAccountStatus") == ["disabled"], "released: \(entry.dn)")
                #expect(entry.strings("misChildRef").isEmpty, "released: \(entry.dn)")
            }
            #expect(parents["C02"]?.strings("misAccountStatus") == ["active"])
        }
    }

    @Test func sourceMissingAColumnExitsTwoAndOnlyTheOtherSourcesCourtOrderIsWritten() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, sources: ["broken.csv", "healthy.csv"])
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            let before = try await firstRunThenCourtOrderInTheHealthySchool(site)
            // The broken school's export loses a required column.
            try site.write(Self.twoSchools().broken, as: "broken.csv", without: ["family_name"])

            let run = try site.cli("apply")
            #expect(run.status == 2, "\(run.standardOutput)\(run.standardError)")
            #expect(run.standardError.contains("broken.csv"))
            #expect(run.standardError.contains("family_name"))
            try expectOnlyTheCourtOrderWritten(before: before, directory: directory, revokedContact: "H1")
        }
    }

    @Test func missingSourceFileExitsTwoAndOnlyTheOtherSourcesCourtOrderIsWritten() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, sources: ["broken.csv", "healthy.csv"])
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            let before = try await firstRunThenCourtOrderInTheHealthySchool(site)
            try site.removeSource("broken.csv")

            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .inputError)
            #expect(outcome.sourceErrors.joined().contains("broken.csv"))
            try expectOnlyTheCourtOrderWritten(before: before, directory: directory, revokedContact: "H1")
        }
    }

    @Test func courtOrderAtOneSchoolWhileTheOtherSchoolsExportIsMissingKeepsThatSchoolsChild() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server, sources: ["a.csv", "b.csv"])
            defer { site.remove() }
            // One mother, known to both schools by the same name and e-mail: one account, two children.
            let mother = { (id: String) in ExportContact(id, "Ann", "Reed", email: "ann.reed@example.org") }
            var schoolA = CanonicalExport(school: Self.school)
            schoolA.add(ExportPupil("PA1", upn: "A130000000001", "Tom", "Reed"), mother("A1"))
            var schoolB = CanonicalExport(school: "5309999")
            schoolB.add(ExportPupil("PB1", upn: "A130000000002", "Mia", "Reed"), mother("B1"))
            try site.write(schoolA, as: "a.csv")
            try site.write(schoolB, as: "b.csv")
            #expect(try await site.apply().exitStatus == .success)
            let entries = try await DirectoryInspector(server: server).entries(under: server.parentsBase, filter: "(objectClass=misParent)")
            #expect(entries.count == 1)
            #expect(Set(entries.first?.strings("misChildRef") ?? []) == ["\(Self.school)/PA1", "5309999/PB1"])

            try site.removeSource("a.csv")
            schoolB.change(contact: "B1") { $0.courtOrder = true }
            try site.write(schoolB, as: "b.csv")
            #expect(try await site.apply().exitStatus == .inputError)
            let after = try #require(try await DirectoryInspector(server: server).entries(under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["*", "pwdAccountLockedTime"]).first)
            #expect(after.strings("misChildRef") == ["\(Self.school)/PA1"], "school A's child is unknown this run, not gone")
            #expect(after.strings("misAccountStatus") == ["active"])
            #expect(after.strings("pwdAccountLockedTime").isEmpty)
        }
    }

    /// School 5301234 (to be broken) with two parents; school 5309999 with `H1` and `H2`.
    static func twoSchools() -> (broken: CanonicalExport, healthy: CanonicalExport) {
        var broken = CanonicalExport(school: school)
        broken.add(ExportPupil("P1", upn: "A200000000001", "Ava", "Hill"), ExportContact("B1", "Bea", "Hill"))
        broken.add(ExportPupil("P2", upn: "A200000000002", "Max", "Dale"), ExportContact("B2", "Bob", "Dale", relationship: "Father"))
        var healthy = CanonicalExport(school: "5309999")
        healthy.add(ExportPupil("Q1", upn: "H200000000001", "Ivy", "Moor"), ExportContact("H1", "Hal", "Moor", relationship: "Father"))
        healthy.add(ExportPupil("Q2", upn: "H200000000002", "Kit", "Vale"), ExportContact("H2", "Hope", "Vale"))
        return (broken, healthy)
    }

    /// Run 1 with both schools readable, then the healthy school's next export: a court order against
    /// `H1`'s existing account and a new parent `H3` (whose creation must wait). Returns the directory as
    /// run 1 left it.
    func firstRunThenCourtOrderInTheHealthySchool(_ site: SyncSite) async throws -> [String: String] {
        let (broken, healthy) = Self.twoSchools()
        try site.write(broken, as: "broken.csv")
        try site.write(healthy, as: "healthy.csv")
        #expect(try await site.apply().exitStatus == .success)
        let before = try DirectoryInspector(server: site.server).dumpByDN()
        var next = healthy
        next.change(contact: "H1") { $0.courtOrder = true }
        next.add(ExportPupil("Q3", upn: "H200000000003", "New", "Pupil"), ExportContact("H3", "New", "Parent"))
        try site.write(next, as: "healthy.csv")
        return before
    }

    /// Every entry as it was but the revoked parent's, which lost its link and was disabled; no new entry.
    func expectOnlyTheCourtOrderWritten(before: [String: String], directory: DirectoryInspector, revokedContact: String) throws {
        let after = try directory.dumpByDN()
        #expect(Set(after.keys) == Set(before.keys), "no entry added or removed")
        let changed = after.keys.filter { after[$0] != before[$0] }
        let revokedDN = try #require(after.first { $0.value.contains("misContactRef: 5309999/\(revokedContact)") }?.key)
        // The group loses the revoked parent: a revocation's own membership write.
        let group = "cn=parents,\(directory.server.groupsBase)".lowercased()
        #expect(Set(changed.map { $0.lowercased() }) == [revokedDN.lowercased(), group])
        let revoked = after[revokedDN] ?? ""
        #expect(!revoked.contains("misChildRef:"))
        #expect(revoked.contains("misAccountStatus: disabled"))
        // …and that is the group's only change: no member for the account whose creation was held.
        let members = { (dump: [String: String]) in
            Set((dump.first { $0.key.lowercased() == group }?.value ?? "").split(separator: "\n")
                .filter { $0.hasPrefix("member: ") }.map { $0.dropFirst("member: ".count).lowercased() })
        }
        #expect(members(after) == members(before).subtracting([revokedDN.lowercased()]))
    }
}
