import Foundation
import Testing

@testable import Sync

@Suite struct CredentialsRetentionTests {
    @Test func theAgeIsTheTimeInTheNameAndOtherFilesAreNeverTouched() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let now = try #require(Timestamp.date(fileStamp: "20261129T120000Z"))
        for name in ["20261029T115959Z-apply.csv", "20261029T120001Z-apply.html", "20261029T115959Z-notes.txt", "README.csv", "2026-apply.csv"] {
            #expect(FileManager.default.createFile(atPath: folder.file(name), contents: Data()))
        }
        let deleted = try CredentialsRetention.sweep(directory: folder.path, days: 31, now: now)
        #expect(deleted == [folder.file("20261029T115959Z-apply.csv")])
        #expect(try CredentialsRetention.sweep(directory: folder.file("missing"), days: 1, now: now).isEmpty)
    }
}
