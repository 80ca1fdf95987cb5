import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// `ldap-sync access` against a real slapd: the directory beside the sources, before and after a run
/// that applies a court order, and `--at` answered from the audit log of two runs.
@Suite struct AccessTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A100000000001", "Tom", "Smith")
    static let lily = ExportPupil("P2", upn: "A100000000002", "Lily", "Smith")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")
    static let tomRef = "\(school)/P1"
    static let lilyRef = "\(school)/P2"

    static var firstExport: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(lily, david)
        return export
    }

    /// David's court order for Tom (not for Lily).
    static var courtOrderExport: CanonicalExport {
        var export = firstExport
        export.change(contact: "C2", pupil: "P1") { $0.courtOrder = true }
        return export
    }

    @Test func courtOrderedContactIsFlaggedBeforeTheRunAndShowsNoLinkAfterIt() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF([Self.tom, Self.lily], under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.firstExport)
            #expect(try await site.apply().exitStatus == .success)

            // The MIS records the order; the directory still links David to Tom until the next run.
            try site.write(Self.courtOrderExport)
            let before = try AccessReport.pupil(Self.tomRef, prepared: try await site.prepare(), config: try site.config())
            let davidBefore = try #require(before.rows.first { $0.account?.username == "david.smith" })
            #expect(davidBefore.linked && davidBefore.canSeeNow)
            #expect(davidBefore.verdict == .notJustified)
            #expect(davidBefore.reasons.contains(.courtOrder))
            #expect(davidBefore.records.first?.courtOrder == .yes)
            #expect(before.unjustified.count == 1)
            let flagged = before.text(color: false)
            #expect(flagged.contains("NOT JUSTIFIED"))
            #expect(!flagged.contains("\u{1B}["))
            #expect(before.text(color: true).contains("\u{1B}[31mNOT JUSTIFIED"))

            #expect(try await site.apply().exitStatus == .success)
            let after = try AccessReport.pupil(Self.tomRef, prepared: try await site.prepare(), config: try site.config())
            let davidAfter = try #require(after.rows.first { $0.account?.username == "david.smith" })
            #expect(!davidAfter.linked && !davidAfter.canSeeNow)
            #expect(davidAfter.verdict == .noLink)
            #expect(davidAfter.eligible == false)
            let annAfter = try #require(after.rows.first { $0.account?.username == "ann.smith" })
            #expect(annAfter.verdict == .justified && annAfter.canSeeNow)
            #expect(annAfter.account?.inRoleGroup == true)
            #expect(after.unjustified.isEmpty)

            // The same through the command line, as IT runs it: words, no colour into a pipe, exit 0.
            let text = try site.cli("access", "--pupil", Self.tomRef)
            #expect(text.status == 0)
            #expect(text.standardOutput.contains("Who can see Tom Smith (\(Self.tomRef), year 4)?"))
            #expect(text.standardOutput.contains("Can see now: ann.smith."))
            #expect(text.standardOutput.contains("court order YES"))
            #expect(text.standardOutput.contains("no link: the sources do not grant one"))
            #expect(!text.standardOutput.contains("NOT JUSTIFIED"))

            // A UPN finds the pupil too; JSON carries the same verdicts.
            let json = try site.cli("access", "--pupil", Self.tom.upn, "--format", "json")
            #expect(json.status == 0)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            let parents = try #require(document["parents"] as? [[String: Any]])
            let david = try #require(parents.first { $0["parent"] as? String == "david.smith" })
            #expect(david["linked"] as? Bool == false)
            #expect(david["verdict"] as? String == "no-link")
            #expect((david["reasons"] as? [String])?.contains("court-order") == true)
            #expect(document["not_justified"] as? Int == 0)
        }
    }

    @Test func parentViewListsEachChildWithTheDirectoryAndTheSources() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF([Self.tom, Self.lily], under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.firstExport)
            try await site.apply()
            try site.write(Self.courtOrderExport)
            try await site.apply()

            let report = try AccessReport.parent("david.smith", prepared: try await site.prepare(), config: try site.config())
            #expect(report.rows.map(\.pupil) == [Self.tomRef, Self.lilyRef])
            let lily = try #require(report.rows.first { $0.pupil == Self.lilyRef })
            #expect(lily.verdict == .justified && lily.canSeeNow)
            #expect(lily.records.first?.relationship == "father")
            #expect(lily.records.first?.parentalResponsibility == .yes)
            let tom = try #require(report.rows.first { $0.pupil == Self.tomRef })
            #expect(tom.verdict == .noLink && tom.reasons == [.courtOrder])

            // A link the sources never gave (added by hand) is flagged, in words.
            let connection = try await DirectoryInspector(server: server).connect()
            try await connection.modify(ModifyRequest(dn: "uid=ann.smith,\(server.parentsBase)", modifications: [
                Modification(.add, "misChildRef", [Self.lilyRef]),
            ]))
            await connection.close()
            let run = try site.cli("access", "--parent", "ann.smith")
            #expect(run.status == 0)
            #expect(run.standardOutput.contains("Which children does Ann Smith (ann.smith) see?"))
            #expect(run.standardOutput.contains("1 link in the directory NOT JUSTIFIED by the sources."))
            #expect(run.standardOutput.contains("NOT JUSTIFIED: linked in the directory, but the sources no longer list this contact for this child; the parent CAN SEE this child now"))

            let unknown = try site.cli("access", "--parent", "nobody.here")
            #expect(unknown.status == 2)
            #expect(unknown.standardError.contains("no parent entry has uid nobody.here"))
            let neither = try site.cli("access")
            #expect(neither.status == 2)
        }
    }

    @Test func atADayAnswersFromTheAuditLogOfTwoRuns() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF([Self.tom, Self.lily], under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.firstExport)
            try await site.apply()
            // Run 1 happened on an earlier day: move its records back to 2026-01-05, as a log kept over
            // weeks holds them. Run 2 (the court order) is today.
            let logPath = site.folder.file("state/audit.jsonl")
            let firstRun = try String(contentsOfFile: logPath, encoding: .utf8)
            let shifted = firstRun.split(separator: "\n").map { line in
                line.replacingOccurrences(of: #""time":"\d{4}-\d{2}-\d{2}T"#, with: "\"time\":\"2026-01-05T", options: .regularExpression)
            }.joined(separator: "\n") + "\n"
            try Data(shifted.utf8).write(to: URL(fileURLWithPath: logPath))
            try site.write(Self.courtOrderExport)
            try await site.apply()
            let today = String(Timestamp.iso8601(Date()).prefix(10))
            let records = try AuditLog.read(stateDirectory: site.folder.file("state"))

            let dayOne = try AccessHistory.replay(records, subject: .pupil(Self.tomRef), day: "2026-01-05")
            #expect(Set(dayOne.pairs.map(\.username)) == ["ann.smith", "david.smith"])
            #expect(dayOne.pairs.allSatisfy { $0.from?.hasPrefix("2026-01-05T") == true && $0.until == nil })
            #expect(dayOne.pairs.allSatisfy { $0.linkedBy?.action == "create" && !$0.statusAssumed })

            let between = try AccessHistory.replay(records, subject: .pupil(Self.tomRef), day: "2026-02-01")
            #expect(Set(between.pairs.map(\.username)) == ["ann.smith", "david.smith"])
            #expect(between.pairs.allSatisfy { $0.from == nil && $0.until == nil })

            let courtDay = try AccessHistory.replay(records, subject: .pupil(Self.tomRef), day: today)
            let david = try #require(courtDay.pairs.first { $0.username == "david.smith" })
            #expect(david.from == nil)
            #expect(david.until?.hasPrefix(today) == true)
            #expect(david.endedBy?.action == "unlink" && david.endedBy?.reasons == ["court-order"])
            let ann = try #require(courtDay.pairs.first { $0.username == "ann.smith" })
            #expect(ann.from == nil && ann.until == nil)

            let before = try AccessHistory.replay(records, subject: .pupil(Self.tomRef), day: "2025-12-31")
            #expect(before.pairs.isEmpty)

            // David still sees Lily on the day of the order: the order was for Tom.
            let davidsDay = try AccessHistory.replay(records, subject: .parent("david.smith"), day: today)
            #expect(davidsDay.pairs.map(\.pupil).sorted() == [Self.tomRef, Self.lilyRef])
            #expect(davidsDay.pairs.first { $0.pupil == Self.lilyRef }?.until == nil)

            let run = try site.cli("access", "--pupil", Self.tomRef, "--at", today)
            #expect(run.status == 0)
            #expect(run.standardOutput.contains("Who could see \(Self.tomRef) on \(today) (UTC), from the audit log:"))
            #expect(run.standardOutput.contains("david.smith  uid=david.smith,\(server.parentsBase): from the start of the day until \(today)"))
            #expect(run.standardOutput.contains("(unlink: court-order)"))
            let json = try site.cli("access", "--pupil", Self.tomRef, "--at", "2026-01-05", "--format", "json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            #expect((document["visible"] as? [[String: Any]])?.count == 2)
            let bad = try site.cli("access", "--pupil", Self.tomRef, "--at", "yesterday")
            #expect(bad.status == 2)
            #expect(bad.standardError.contains("--at yesterday is not a date"))
        }
    }
}
