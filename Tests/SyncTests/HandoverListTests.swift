import Foundation
import Testing

@testable import Sync

@Suite struct HandoverListTests {
    @Test func aSignInSheetFromASpreadsheetGivesItsUsernamesOnceEach() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("signed.csv")
        let text = "\u{FEFF}Name,User Name,Signed\r\n\"Reed, Ian\",ian.reed,Y\r\n,,\r\nNina Shah, nina.shah ,Y\r\nIan again,ian.reed,Y\r\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        // "User Name" is the username column (case and spaces do not matter); the BOM is no part of it.
        #expect(try HandoverList.load(path) == ["ian.reed", "nina.shah"])
        try Data(text.replacingOccurrences(of: "User Name", with: "Login").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CredentialsRefusal.self) { try HandoverList.load(path) }
    }
}
