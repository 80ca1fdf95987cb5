import Foundation
import Reconcile
import Roster
@testable import Sync
import Testing

/// Two schools' canonical exports in a temporary folder: Jane Smith at both (one person), her husband
/// John under a court order, two Sarah Joneses with nothing in common, and a shared family e-mail.
private struct DedupeFixture {
    let folder: URL

    init(overrides: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dedupe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let header = "school_id,pupil_id,contact_id,title,given_name,family_name,relationship,priority,"
            + "parental_responsibility,court_order,email,mobile,address_line1,postcode\n"
        try write("a.csv", header + """
            100,P1,C1,Mrs,Jane,Smith,Mother,1,Y,N,jane@example.org,07700 900123,12 High Street,AB1 2CD
            100,P1,C2,Mr,John,Smith,Father,2,Y,Y,,,12 High Street,AB1 2CD
            100,P2,C3,,Sarah,Jones,Mother,1,N,N,,,3 Mill Lane,AB3 4EF
            100,P3,C4,,Mary,Brown,Mother,1,Y,N,browns@example.org,,,
            100,P3,C5,,Mark,Brown,Father,2,Y,N,browns@example.org,,,

            """)
        try write("b.csv", header + """
            200,Q7,K9,,JANE,SMITH,Mother,1,Y,N,Jane@Example.org,+447700900123,12 High St,AB12CD
            200,Q8,K10,,Sarah,Jones,Mother,1,Y,N,sarah.j@example.org,,,

            """)
        var config = """
            directory:
              url: ldapi:///
              parents_base: ou=Parents,dc=example,dc=org
            sources:
              - format: csv
                path: a.csv
                school_name: Fife Primary
              - format: csv
                path: b.csv

            """
        if let overrides {
            try write("overrides.csv", overrides)
            config += "dedupe:\n  overrides: overrides.csv\n"
        }
        try write("sync.yaml", config)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    /// The report of the fixture's sources; the folder is removed once it is read.
    func report() throws -> DedupeReport {
        defer { try? FileManager.default.removeItem(at: folder) }
        return try DedupeRun.report(
            configPath: folder.appendingPathComponent("sync.yaml").path,
            on: CalendarDate(year: 2026, month: 11, day: 29)!)
    }
}

@Suite("ldap-sync dedupe: the report")
struct DedupeReportTests {
    @Test func jsonHasExactlyTheShapeOfDesignPartB() throws {
        let data = Data(try DedupeFixture().report().json().utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(document.keys) == ["parents", "near_misses", "warnings"])
        let parents = try #require(document["parents"] as? [[String: Any]])
        let jane = try #require(parents.first { $0["id"] as? String == "100/C1" })
        #expect(Set(jane.keys).isSuperset(of: ["id", "name", "records", "children", "eligible", "reasons", "matched_on"]))
        #expect(jane["name"] as? String == "Jane Smith")
        #expect(jane["records"] as? [String] == ["100/C1", "200/K9"])
        #expect(jane["children"] as? [String] == ["100/P1", "200/Q7"])
        #expect(jane["eligible"] as? Bool == true)
        #expect(jane["reasons"] as? [String] == ["parental-responsibility"])
        #expect(jane["matched_on"] as? [String] == ["email", "mobile", "address"])
        let john = try #require(parents.first { $0["id"] as? String == "100/C2" })
        #expect(john["eligible"] as? Bool == false)
        #expect(john["reasons"] as? [String] == ["court-order"])
        let nearMisses = try #require(document["near_misses"] as? [[String: Any]])
        #expect(nearMisses.contains {
            $0["records"] as? [String] == ["100/C3", "200/K10"] && $0["reason"] as? String == "same-name-only"
        })
        let warnings = try #require(document["warnings"] as? [[String: Any]])
        #expect(warnings.contains { $0["code"] as? String == "shared-email" && ($0["message"] as? String)?.isEmpty == false })
    }

    @Test func textPutsCountsFirstThenWhatToFixBySchoolInPlainWords() throws {
        let text = try DedupeFixture().report().text()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1].contains("6 people from 7 contact records at 2 schools"))
        #expect(lines[2].contains("4 would have an account, 2 would not"))
        let fixes = try #require(lines.firstIndex(of: "What to fix in the MIS"))
        let fife = try #require(lines.firstIndex(of: "  Fife Primary (100)"))
        let other = try #require(lines.firstIndex(of: "  School 200"))
        #expect(fixes < fife && fife < other)
        #expect(text.contains("browns@example.org is used by 2 different people"))
        #expect(text.contains("a court order is recorded"))
        // Plain words for the office, not the codes scripts read.
        #expect(!text.contains("court-order") && !text.contains("same-name-only"))
    }

    @Test func csvHasOneRowPerPersonAndQuotesWhatNeedsIt() throws {
        let csv = try DedupeFixture().report().csv()
        let rows = csv.split(separator: "\r\n").map(String.init)
        #expect(rows[0] == "id,name,records,children,eligible,reasons,matched_on")
        #expect(rows.contains("100/C1,Jane Smith,100/C1 200/K9,100/P1 200/Q7,yes,parental-responsibility,email mobile address"))
        #expect(rows.count == 7)
        #expect(DedupeReport.csvField("Smith, Jane") == "\"Smith, Jane\"")
        #expect(DedupeReport.csvField("=cmd()") == "'=cmd()")
    }

    @Test func aSplitOverrideFromTheConfigKeepsTheTwoSarahsApartWithoutANearMiss() throws {
        let fixture = try DedupeFixture(overrides: """
            action,record,other_record,set_by,set_on,note
            split,100/C3,200/K10,IT,2026-11-01,checked with both schools

            """)
        let report = try fixture.report()
        #expect(!report.resolution.nearMisses.contains { $0.records == ["100/C3", "200/K10"] })
    }

    @Test func aMergeOverrideJoinsWhatTheDataCannot() throws {
        let fixture = try DedupeFixture(overrides: "action,record,other_record\nmerge,100/C3,200/K10\n")
        let report = try fixture.report()
        let sarah = try #require(report.resolution.parents.first { $0.id == "100/C3" })
        #expect(sarah.records.map(\.description) == ["100/C3", "200/K10"])
        #expect(sarah.matchedOn == [.override])
    }
}

@Suite("Dedupe overrides file")
struct DedupeOverridesFileTests {
    func parse(_ text: String) throws(DedupeOverridesError) -> [DedupeOverride] {
        try DedupeOverridesFile.parse(Array(text.utf8), name: "overrides.csv")
    }

    @Test func mergesAndSplitsAreReadWithWhoWhenAndWhere() throws {
        let overrides = try parse("""
            action,record,other_record,set_by,set_on,note
            merge,100/C1,200/K9,Ann Office,2026-10-01,"same person, new surname"
            SPLIT,100/C3,200/K10,IT,2026-11-01,
            """)
        #expect(overrides.count == 2)
        #expect(overrides[0].action == .merge && overrides[0].note == "same person, new surname")
        #expect(overrides[0].origin == "overrides.csv:2")
        #expect(overrides[1].action == .split && overrides[1].otherRecord == "200/K10")
    }

    @Test func aReferenceByPositionIsRefusedBecauseItShifts() {
        #expect(throws: DedupeOverridesError.self) {
            try parse("action,record,other_record\nmerge,100/P1/2,200/K9\n")
        }
        do {
            _ = try parse("action,record,other_record\nmerge,100/P1/2,200/K9\nfuse,100/C1,100/C2\n")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3])
            #expect(error.description.contains("overrides.csv:2: error: record 100/P1/2 is a reference by position"))
            #expect(error.description.contains("overrides.csv:3: error: action \"fuse\" is neither merge nor split"))
        }
    }

    @Test func aMissingColumnNamesItAndTheHeaderNeeded() {
        do {
            _ = try parse("action,record\nmerge,100/C1\n")
            Issue.record("the file was accepted")
        } catch {
            #expect(error.description.contains("missing column other_record"))
        }
    }
}
