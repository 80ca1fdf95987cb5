import Foundation
import Testing

@testable import Sync

@Suite struct AuditLogTests {
    @Test func recordsAreAppendedAsJSONLinesAndReadBackInOrder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let log = try AuditLog(stateDirectory: folder.path)
        try log.append(AuditRecord(time: "2026-11-29T13:00:00Z", run: "r1", event: "run-start"))
        try log.append(AuditRecord(time: "2026-11-29T13:00:01Z", run: "r1", event: "write", action: "unlink", dn: "uid=a,ou=P", pupil: "s/1", reasons: ["court-order"], result: "ok"))
        let again = try AuditLog(stateDirectory: folder.path)
        try again.append(AuditRecord(time: "2026-11-29T14:00:00Z", run: "r2", event: "run-start"))

        let records = try AuditLog.read(stateDirectory: folder.path)
        #expect(records.map(\.run) == ["r1", "r1", "r2"])
        #expect(records[1].reasons == ["court-order"])
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aTornLastLineIsSkippedNotFatal() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let log = try AuditLog(stateDirectory: folder.path)
        try log.append(AuditRecord(time: "t", run: "r1", event: "run-start"))
        let handle = try #require(FileHandle(forWritingAtPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"time\":\"t\",\"ru".utf8))
        try handle.close()
        #expect(try AuditLog.read(stateDirectory: folder.path).count == 1)
    }
}
