import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The end of the school year: the pupils of `safety.leaving_year_groups` leave in July and their
/// parents' accounts go without tripping `max_disable`; a truncated export in July still trips it, and
/// the limits count per school as well as overall. Real slapd, runs on dates in the school year.
@Suite struct SchoolYearTests {
    static let school = "5301234"
    static let other = "5309999"

    /// `count` one-parent families of `school`; every fourth pupil is in Year 6, the rest in Year 4.
    static func export(_ count: Int, school: String = school, prefix: String = "") -> CanonicalExport {
        var export = CanonicalExport(school: school)
        for n in 1...count {
            let year = n % 4 == 0 ? 6 : 4
            export.add(
                ExportPupil("\(prefix)P\(n)", upn: "A\(prefix.isEmpty ? "1" : "2")\(String(format: "%011d", n))", "Child", "\(prefix)Fam\(n)", year: year),
                ExportContact("\(prefix)C\(n)", "Parent", "\(prefix)Fam\(n)", email: "\(prefix)p\(n)@example.org"))
        }
        return export
    }

    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text + "T09:00:00Z")!
    }

    func apply(_ site: SyncSite, on day: String) async throws -> ApplyOutcome {
        let run = try site.run(now: Self.date(day))
        let connection = try await DirectorySession.open(run.config)
        defer { Task { await connection.close() } }
        return try await run.apply(connection)
    }

    /// A first run on `before` with forty families, then a run on `after` with the Year 6 pupils gone.
    func yearSixGone(_ site: SyncSite, before: String, after: String) async throws -> ApplyOutcome {
        var export = Self.export(40)
        try site.write(export)
        #expect(try await apply(site, on: before).exitStatus == .success)
        for n in stride(from: 4, through: 40, by: 4) { export.remove(pupil: "P\(n)") }
        try site.write(export)
        return try await apply(site, on: after)
    }

    func strictSite(_ server: SlapdServer, minSourceRatio: Double = 0.9) throws -> SyncSite {
        try SyncSite(server: server, safety: .init(maxDisable: "5%", maxUnlink: "5%", minSourceRatio: minSourceRatio))
    }

    @Test func truncatedExportInJulyIsHeldByTheShrinkCheckTooLeaversIncluded() async throws {
        try await withSlapd { server in
            let site = try strictSite(server)
            defer { site.remove() }
            let export = Self.export(40)
            try site.write(export)
            #expect(try await apply(site, on: "2027-06-20").exitStatus == .success)
            try site.write(export.truncated(to: 28))
            let july = try await apply(site, on: "2027-07-23")
            #expect(july.exitStatus == .held)
            #expect(july.plan.held.filter { $0.change.action == .disable }.count == 12)
            #expect(july.plan.held.allSatisfy { $0.gate == .sourceShrunk })
        }
    }

    @Test func yearSixLeavingInJulyIsExpectedAndDoesNotTripMaxDisable() async throws {
        try await withSlapd { server in
            let site = try strictSite(server)
            defer { site.remove() }
            // July: the ten Year 6 pupils are gone from the export (25% of the school, past 5%).
            let july = try await yearSixGone(site, before: "2027-06-20", after: "2027-07-23")
            #expect(july.exitStatus == .success, "held: \(july.plan.held.map { "\($0.gate) \($0.change.dn)" })")
            #expect(july.plan.held.isEmpty)
            let parents = try await DirectoryInspector(server: server).parentsByContact(Self.school)
            for n in 1...40 {
                let status = parents["C\(n)"]?.string("misAccountStatus")
                #expect(status == (n % 4 == 0 ? "disabled" : "active"), "C\(n): \(status ?? "none")")
            }
        }
    }

    @Test func truncatedExportInJulyIsStillHeldByMaxDisable() async throws {
        try await withSlapd { server in
            // No shrink check here (it would hold the whole school first): max_disable alone.
            let site = try strictSite(server, minSourceRatio: 0.1)
            defer { site.remove() }
            let export = Self.export(40)
            try site.write(export)
            #expect(try await apply(site, on: "2027-06-20").exitStatus == .success)

            // July, but the export stops after 28 rows: Year 4 pupils vanish too.
            try site.write(export.truncated(to: 28))
            let july = try await apply(site, on: "2027-07-23")
            #expect(july.exitStatus == .held)
            let heldDisables = july.plan.held.filter { $0.change.action == .disable }
            // The Year 4 pupils' parents are held; the Year 6 ones (P32, P36, P40) are expected.
            #expect(Set(heldDisables.map(\.change.dn)) == Set([29, 30, 31, 33, 34, 35, 37, 38, 39].map { "uid=parent.fam\($0),\(server.parentsBase)" }))
            #expect(heldDisables.allSatisfy { $0.gate == .maxDisable })
            let parents = try await DirectoryInspector(server: server).parentsByContact(Self.school)
            #expect(parents["C29"]?.string("misAccountStatus") == "active")
            #expect(parents["C32"]?.string("misAccountStatus") == "disabled")
        }
    }

    @Test func yearSixVanishingInMarchIsNotExpected() async throws {
        try await withSlapd { server in
            let site = try strictSite(server)
            defer { site.remove() }
            let march = try await yearSixGone(site, before: "2027-02-01", after: "2027-03-15")
            #expect(march.exitStatus == .held)
            #expect(march.plan.held.contains { $0.change.action == .disable })
        }
    }

    @Test func pupilsWhoseLeavingDateCameAreExpectedInAnyMonth() async throws {
        try await withSlapd { server in
            let site = try strictSite(server)
            defer { site.remove() }
            // Ten Year 4 pupils move away in March: the MIS gave their leaving date before they vanished.
            var export = CanonicalExport(school: Self.school)
            for n in 1...40 {
                export.add(
                    ExportPupil("P\(n)", upn: "A1\(String(format: "%011d", n))", "Child", "Fam\(n)", year: 4,
                                leavingDate: n % 4 == 0 ? "2027-03-05" : nil),
                    ExportContact("C\(n)", "Parent", "Fam\(n)", email: "p\(n)@example.org"))
            }
            try site.write(export)
            #expect(try await apply(site, on: "2027-03-01").exitStatus == .success)
            for n in stride(from: 4, through: 40, by: 4) { export.remove(pupil: "P\(n)") }
            try site.write(export)
            let later = try await apply(site, on: "2027-03-15")
            #expect(later.exitStatus == .success, "held: \(later.plan.held.map { "\($0.gate) \($0.change.dn)" })")
            let parents = try await DirectoryInspector(server: server).parentsByContact(Self.school)
            #expect(parents["C4"]?.string("misAccountStatus") == "disabled")
        }
    }

    @Test func limitsCountPerSchoolSoOneSchoolsLossIsHeldWhileTheOtherGoesAhead() async throws {
        try await withSlapd { server in
            let site = try SyncSite(
                server: server, sources: ["a.csv", "b.csv"], safety: .init(maxDisable: "10%", maxUnlink: "10%", minSourceRatio: 0.1))
            defer { site.remove() }
            var small = Self.export(10)
            var large = Self.export(90, school: Self.other, prefix: "B")
            try site.write(small, as: "a.csv")
            try site.write(large, as: "b.csv")
            #expect(try await apply(site, on: "2027-02-01").exitStatus == .success)

            // School A loses 3 of 10 (30%: over its limit, though 3 of 100 overall is under); school B 1 of 90.
            for n in [1, 2, 3] { small.remove(pupil: "P\(n)") }
            large.remove(pupil: "BP1")
            try site.write(small, as: "a.csv")
            try site.write(large, as: "b.csv")
            let outcome = try await apply(site, on: "2027-02-08")
            #expect(outcome.exitStatus == .held)
            #expect(Set(outcome.plan.held.filter { $0.change.action == .disable }.map(\.change.dn))
                == Set([1, 2, 3].map { "uid=parent.fam\($0),\(server.parentsBase)" }))
            let b = try await DirectoryInspector(server: server).parentsByContact(Self.other)
            #expect(b["BC1"]?.string("misAccountStatus") == "disabled", "the healthy school's leaver goes ahead")
        }
    }
}
