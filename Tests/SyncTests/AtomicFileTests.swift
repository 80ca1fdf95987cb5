import Foundation
import Testing

@testable import Sync

@Suite struct AtomicFileTests {
    private func entries(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    /// `plan --output /dev/null` (the tests do it) renamed a file over /dev/null: as root, the machine's
    /// /dev/null became a file. A device is written in place and stays a device.
    @Test func aDeviceIsWrittenInPlaceNotReplaced() throws {
        try AtomicFile.replace("/dev/null", with: Array("a plan nobody wants\n".utf8))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a character device")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.hasPrefix(".null.") }.isEmpty)
    }

    @Test func replacesTheFileAndLeavesNothingElseBehind() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("report.html")
        try AtomicFile.replace(path, with: "first".utf8)
        try AtomicFile.replace(path, with: "second, longer".utf8)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        // The hidden temporary is renamed away: nothing else is left in the folder.
        #expect(try entries(folder.path) == ["report.html"])
    }

    @Test func explicitPermissionsAreExactAndTheFolderIsMade() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("state/nested/state.json")
        let mask = umask(0o077)
        defer { umask(mask) }
        try AtomicFile.replace(path, with: Array("{}".utf8), permissions: 0o644)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        try AtomicFile.replace(path, with: Array("{}".utf8), permissions: 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func aFailedWriteNamesThePathAndKeepsTheOldFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("metrics.prom")
        try AtomicFile.replace(path, with: "old".utf8)
        // A folder where the file should be: the rename fails, the temporary goes, the folder stays.
        let blocked = folder.file("blocked")
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        #expect {
            try AtomicFile.replace(blocked, with: "new".utf8)
        } throws: { error in
            guard let error = error as? AtomicFileError else { return false }
            return error.path == blocked && !error.reason.isEmpty && error.description.hasPrefix("cannot write \(blocked): ")
        }
        #expect(try entries(folder.path) == ["blocked", "metrics.prom"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    }
}
