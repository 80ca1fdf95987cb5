import Foundation
import Testing

@testable import Sync

@Suite struct LetterTemplateTests {
    static let row = CredentialsRow(
        dn: "uid=ann.o10,ou=Parents,dc=example,dc=org", username: "ann.o10", givenName: "Ann", familyName: "O'Hara & <Co>",
        email: "", initialPassword: "k7mr-tn4x-h9wd", children: ["S1/P2", "S1/P1"])

    static var names: ChildNames {
        var names = ChildNames()
        names.pupils = ["S1/P1": "Tom O'Hara", "S1/P2": "Amy O'Hara"]
        names.schools = ["S1": "Fife Primary"]
        return names
    }

    @Test func theDefaultLetterSlashesEveryZeroOfTheCredentialsAndEscapesNames() throws {
        let fields = LetterFields(Self.row, names: Self.names, loginURL: "https://vle0.example.sch", date: "29 November 2026")
        let html = LetterTemplate().document([fields, fields], title: "Letters")
        #expect(html.components(separatedBy: "<section class=\"letter\">").count == 3)
        #expect(html.contains("ann.o1<span class=\"zero\">0</span>"))
        #expect(html.contains("https://vle<span class=\"zero\">0</span>.example.sch"))
        #expect(html.contains("k7mr-tn4x-h9wd"))
        #expect(html.contains("Ann O&#39;Hara &amp; &lt;Co&gt;") && !html.contains("<Co>"))
        #expect(html.contains("<strong>Tom O&#39;Hara</strong>, <strong>Amy O&#39;Hara</strong>."), "children in reference order, commas between")
        #expect(html.contains("Fife Primary"))
    }

    @Test func aTemplateThatDoesNotParseNamesItsLine() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Data("<p>{{school_name}}</p>\n<p>{{#children}}{{name}}{{/child}}</p>\n".utf8).write(to: URL(fileURLWithPath: folder.file("letter.mustache")))
        #expect {
            try LetterTemplate(path: folder.file("letter.mustache"))
        } throws: { error in
            "\(error)".contains("letter.mustache:2:")
        }
    }
}
