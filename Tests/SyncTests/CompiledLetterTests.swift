import Foundation
import Testing

@testable import Sync
import TestRandom

/// The compiled letter gives Mustache's bytes, and templates it does not compile still render as before.
@Suite struct CompiledLetterTests {
    static let awkward = [
        "", "Ann", "O'Hara & <Co>", "\"quoted\"", "Zoë", "e\u{0301}", "<\u{0301}", "&\u{20DD}'", "0 10 100", "👩‍👩‍👧 <b>",
        "tab\there", "line\nbreak", "{{name}}", "ann.o10", "https://vle0.example.sch/?a=1&b=2",
    ]

    static func letters(count: Int, seed: UInt64) -> [LetterFields] {
        var generator = SeededGenerator(seed: seed)
        func pick() -> String { awkward.randomElement(using: &generator)! }
        return (0..<count).map { _ in
            let children = (0..<Int.random(in: 0...4, using: &generator)).map { "S\(Int.random(in: 1...3, using: &generator))/P\($0)" }
            var names = ChildNames()
            for child in children where Bool.random(using: &generator) { names.pupils[child] = pick() }
            names.schools = ["S1": pick(), "S2": "Fife Primary"]
            let row = CredentialsRow(
                dn: "uid=x,ou=P", username: pick(), givenName: pick(), familyName: pick(), email: pick(), initialPassword: pick(),
                children: children)
            return LetterFields(row, names: names, loginURL: Bool.random(using: &generator) ? pick() : nil, date: pick())
        }
    }

    static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let template = try LetterTemplate(text: text)
        let compiled = try #require(template.compiled, sourceLocation: sourceLocation)
        for letter in letters(count: 300, seed: UInt64(text.utf8.count)) {
            var body = ""
            compiled.render(letter, into: &body)
            #expect(body == template.mustacheBody(letter), sourceLocation: sourceLocation)
        }
    }

    @Test func theDefaultLetterIsCompiledAndGivesMustachesBytes() throws {
        try Self.expectSame(DefaultLetter.template)
    }

    @Test func schoolTemplatesOfFieldsAndChildrenGiveMustachesBytes() throws {
        try Self.expectSame("<p>{{school_name}}</p>\n<p>Dear {{given_name}} {{family_name}} ({{parent_name}}),</p>\n")
        try Self.expectSame("{{username}} {{{username}}} {{password}} {{{password_html}}} {{login_url}} {{{login_url_html}}} {{date}}")
        try Self.expectSame("<ul>{{#children}}<li>{{name}} at {{school_name}} on {{date}}{{#last}}.{{/last}}{{^last}};{{/last}}</li>{{/children}}</ul>")
        try Self.expectSame("{{#children}}{{{name}}}/{{{school_name}}} {{/children}}{{username_html}}{{password_html}}")
        try Self.expectSame("no fields at all, and a brace { or two }} here")
    }

    @Test func templatesUsingMoreOfMustacheAreLeftToMustache() {
        for text in [
            "{{! a comment }}{{name}}", "{{ school_name }}", "{{#children}}\n{{name}}\n{{/children}}\n", "  {{^children}}  \nnone\n{{/children}}",
            "{{> partial}}", "{{=<% %>=}}<% name %>", "{{&username}}", "{{#password}}x{{/password}}", "{{unknown}}", "{{school.name}}",
            "{{#children}}{{#children}}{{/children}}{{/children}}", "{{#children}}", "{{/children}}", "{{last}}", "{{#last}}x{{/last}}",
            "{{uppercased(name)}}",
        ] {
            #expect(CompiledLetter(text) == nil, "\(text)")
        }
    }

    @Test func aTemplateLeftToMustacheStillRendersEveryLetter() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let text = "<p>{{school_name}}</p>\n{{#children}}\n<p>{{name}}</p>\n{{/children}}\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.file("letter.mustache")))
        let template = try LetterTemplate(path: folder.file("letter.mustache"))
        #expect(template.compiled == nil)
        let letters = Self.letters(count: 20, seed: 3)
        let html = template.document(letters, title: "T")
        #expect(html.contains(letters.map { "<section class=\"letter\">\n" + template.mustacheBody($0) + "\n</section>\n" }.joined()))
    }

    @Test func theDocumentIsTheSameWrittenInPiecesOrWhole() throws {
        let template = LetterTemplate()
        let letters = Self.letters(count: 50, seed: 7)
        var pieces: [String] = []
        template.write(letters, title: "Parent account letters – <A> & B", chunk: 3000) { pieces.append($0) }
        #expect(pieces.count > 5)
        let whole = template.document(letters, title: "Parent account letters – <A> & B")
        #expect(pieces.joined() == whole)
        #expect(whole.contains(letters.map { "<section class=\"letter\">\n" + template.mustacheBody($0) + "\n</section>\n" }.joined()))
        #expect(whole.hasPrefix("<!DOCTYPE html>") && whole.hasSuffix("</body>\n</html>\n"))
    }
}

extension CompiledLetterTests {
    @Test func theSlashedZeroIsMarkedAsFoundationReplacedIt() {
        var generator = SeededGenerator(seed: 9)
        let pieces = ["0", "00", "a", "Z", "&", "<", ">", "\"", "'", "-", " ", "10", "https://vle0.example.sch/?a=1&b=2", "é", "<\u{0301}"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(LetterFields.marked(text) == LetterFields.markedByReplacing(text), "\(text)")
        }
    }
}
