import Foundation
import Testing

@testable import Sync

@Suite struct PasswordGeneratorTests {
    @Test func passwordsHaveAtLeastFiftyBitsAndNoLookAlikes() {
        #expect(PasswordGenerator.entropyBits >= 50)
        // Of each pair a reader could confuse on paper, at most one is used.
        let lookAlikes: [(Character, Character)] = [("0", "o"), ("1", "l"), ("1", "i"), ("l", "i"), ("2", "z"), ("5", "s"), ("6", "b"), ("8", "b"), ("u", "v"), ("9", "g"), ("9", "q")]
        for (a, b) in lookAlikes {
            #expect(!(PasswordGenerator.symbols.contains(a) && PasswordGenerator.symbols.contains(b)), "\(a) and \(b) both used")
        }
        #expect(PasswordGenerator.symbols.allSatisfy { !$0.isUppercase })
        let password = PasswordGenerator().make()
        #expect(password.count == 14)
        #expect(password.split(separator: "-").map(\.count) == [4, 4, 4])
        #expect(password.allSatisfy { $0 == "-" || PasswordGenerator.symbols.contains($0) })
    }

    @Test func passwordsDoNotRepeat() {
        let generator = PasswordGenerator()
        let passwords = Set((0..<2_000).map { _ in generator.make() })
        #expect(passwords.count == 2_000)
    }
}

@Suite struct CredentialsFileTests {
    @Test func fileIsOwnerOnlyInAnOwnerOnlyFolderWithThePartBColumns() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let directory = folder.file("credentials")
        let row = CredentialsRow(dn: "uid=ann.smith,ou=Parents,dc=example,dc=org", username: "ann.smith", givenName: "Ann", familyName: "Smith, Jr", email: "ann@example.org", initialPassword: "k7mr-tn4x-h9wd", children: ["5301234/P1", "5301234/P2"])
        let writer = try CredentialsWriter(directory: directory, command: "apply", at: Date(timeIntervalSince1970: 1_800_000_000))
        try writer.append([row])
        let path = writer.path
        #expect(path.hasSuffix("20270115T080000Z-apply.csv"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("dn,username,given_name,family_name,email,initial_password,children\r\n"))
        #expect(text.contains("\"uid=ann.smith,ou=Parents,dc=example,dc=org\",ann.smith,Ann,\"Smith, Jr\",ann@example.org,k7mr-tn4x-h9wd,5301234/P1 5301234/P2"))
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(folderMode == 0o700)
    }

    @Test func anExistingFileIsNeverRewrittenASecondRunInTheSameSecondGetsItsOwn() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try CredentialsWriter(directory: folder.path, command: "apply", at: time)
        try first.append([CredentialsRow(dn: "uid=a", username: "a", givenName: "", familyName: "", email: "", initialPassword: "p1", children: [])])
        let second = try CredentialsWriter(directory: folder.path, command: "apply", at: time)
        #expect(second.path != first.path)
        #expect(second.path.hasSuffix("-apply-2.csv"))
        #expect(try String(contentsOfFile: first.path, encoding: .utf8).contains("p1"))
    }

    @Test func formulaLikeValuesAreDefusedForSpreadsheets() {
        #expect(CredentialsWriter.quoted("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CredentialsWriter.quoted("plain") == "plain")
    }
}
