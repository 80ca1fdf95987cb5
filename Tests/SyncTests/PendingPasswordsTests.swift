import Foundation
import Testing

@testable import Sync

/// The password journal: names only, each once, kept until settled.
@Suite struct PendingPasswordsTests {
    @Test func addKeepsWhatIsListedAndAddsEachNewNameOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pending-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = PendingPasswords(stateDirectory: folder.path)

        try journal.add([])
        #expect(journal.leftOver().isEmpty, "nothing to add makes no journal")
        try journal.begin(["uid=a,ou=Parents,dc=example,dc=org"])
        try journal.add(["UID=A,ou=Parents,dc=example,dc=org", "uid=b,ou=Parents,dc=example,dc=org"])
        #expect(journal.leftOver() == ["uid=a,ou=Parents,dc=example,dc=org", "uid=b,ou=Parents,dc=example,dc=org"])
        try journal.settle(keeping: [])
        #expect(journal.leftOver().isEmpty)
    }
}
