import Foundation
import Testing

@testable import Sync

@Suite struct RunStateTests {
    @Test func stateSurvivesARoundTripAndAnOldFileWithoutColumns() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var state = RunState()
        state.lastGoodRecords = ["5301234": 120]
        state.issuedUsernames = ["ann.smith"]
        state.lastGoodColumns = ["exports/a.csv": ["familyname", "pupilid"]]
        try state.save(stateDirectory: folder.path)
        #expect(try RunState.load(stateDirectory: folder.path) == state)

        try #"{"last_good_records": {"1": 5}, "issued_usernames": []}"#.write(toFile: folder.file("state.json"), atomically: false, encoding: .utf8)
        let old = try RunState.load(stateDirectory: folder.path)
        #expect(old.lastGoodRecords == ["1": 5])
        #expect(old.lastGoodColumns.isEmpty)
    }

    @Test func aSchoolBelowTheRatioOrMissingIsShrunkAndOthersAreNot() {
        var state = RunState()
        state.lastGoodRecords = ["small": 100, "fine": 100, "gone": 50, "new-last-time": 0]
        let shrunk = state.shrunkSchools(["small": 89, "fine": 90, "new": 10], ratio: 0.9)
        #expect(shrunk == ["small", "gone"])
    }

    @Test func csvHeadersAreReadNormalisedAndSortedPastABOM() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Data([0xEF, 0xBB, 0xBF] + Array("Pupil ID,Family_Name,contact_id\r\nP1,Smith,C1\r\n".utf8)).write(to: URL(fileURLWithPath: folder.file("a.csv")))
        let source = SourceConfig(format: .csv, path: folder.file("a.csv"), pathAsWritten: "a.csv", location: ConfigLocation(file: "test.yaml"))
        #expect(SourceColumns.headers([source])["a.csv"] == ["contactid", "familyname", "pupilid"])
    }
}
