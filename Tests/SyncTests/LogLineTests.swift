import Foundation
import Logging
import Testing

@testable import Sync

@Suite struct LogLineTests {
    let time = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T…Z

    @Test func textLineHasTimeLevelMessageAndSortedMetadata() {
        let line = LogLine.text(
            level: .warning, message: "school held back", metadata: ["school": "5301234", "problem": "shrunk to 40%"], at: time)
        #expect(line == "\(Timestamp.iso8601(time)) warning  school held back  problem=\"shrunk to 40%\" school=5301234")
    }

    @Test func textLineWithoutMetadataEndsWithTheMessage() {
        #expect(LogLine.text(level: .info, message: "directory read", metadata: [:], at: time).hasSuffix("info     directory read"))
    }

    @Test func runSummaryTextLineIsTheMessageAloneItsFiguresAreForJSON() {
        let fields: Logger.Metadata = ["event": .string(LogLine.runSummaryEvent), "create": .stringConvertible(3)]
        #expect(LogLine.text(level: .info, message: "ldap-sync apply r: create 3", metadata: fields, at: time).hasSuffix("info     ldap-sync apply r: create 3"))
        #expect(LogLine.json(level: .info, message: "ldap-sync apply r: create 3", metadata: fields, at: time).contains("\"create\":3"))
    }

    @Test func jsonLineIsOneObjectWithNumbersKeptAsNumbers() throws {
        let line = LogLine.json(
            level: .info, message: "source read \"a\"\nnext", metadata: ["links": .stringConvertible(412), "file": "exports/a.csv"], at: time)
        #expect(!line.contains("\n"), "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "source read \"a\"\nnext")
        #expect(object["links"] as? Int == 412)
        #expect(object["file"] as? String == "exports/a.csv")
        #expect(object["time"] as? String == Timestamp.iso8601(time))
    }

    @Test func metadataCannotOverwriteTheLinesOwnFields() throws {
        let line = LogLine.json(level: .error, message: "real", metadata: ["message": "forged", "level": "info"], at: time)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "real" && object["level"] as? String == "error")
    }
}
