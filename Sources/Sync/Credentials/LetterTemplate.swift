import Foundation
import Mustache

/// The printed letters: one self-contained HTML file, one parent to a page, in the school's words
/// (`accounts.letter_template`, a Mustache template of one letter's body) or in `DefaultLetter`'s.
///
/// The page (A4, margins, a page break after each letter, the credentials' font) is ldap-sync's and
/// not the template's, so that a school's template cannot lose the page breaks. Values are HTML-escaped
/// (`{{name}}`), so a parent's name cannot break the page.
public struct LetterTemplate: Sendable {
    let template: MustacheTemplate
    /// The same template compiled for speed, when it uses only what `CompiledLetter` renders.
    let compiled: CompiledLetter?
    /// The template file, or nil for the default.
    public let path: String?

    /// The default letter.
    public init() {
        template = try! MustacheTemplate(string: DefaultLetter.template)
        compiled = CompiledLetter(DefaultLetter.template)
        path = nil
    }

    /// The school's template at `path` (nil: the default). A template that cannot be read or parsed is
    /// a config error: it stops the command before any write, naming the file, line and column.
    public init(path: String?) throws(ConfigError) {
        guard let path else {
            template = try! MustacheTemplate(string: DefaultLetter.template)
            compiled = CompiledLetter(DefaultLetter.template)
            self.path = nil
            return
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(problems: [.init(location: ConfigLocation(file: path), message: "accounts.letter_template cannot be read: \(error.localizedDescription)")])
        }
        do {
            template = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw ConfigError(problems: [.init(
                location: ConfigLocation(file: path, line: error.context.lineNumber, column: error.context.columnNumber),
                message: "accounts.letter_template is not a valid Mustache template (\(error.error))")])
        } catch {
            throw ConfigError(problems: [.init(location: ConfigLocation(file: path), message: "accounts.letter_template: \(error)")])
        }
        compiled = CompiledLetter(text)
        self.path = path
    }

    /// A template from its text (the tests compare the compiled template with Mustache's rendering).
    init(text: String) throws {
        template = try MustacheTemplate(string: text)
        compiled = CompiledLetter(text)
        path = nil
    }

    /// One letter's body as Mustache renders it.
    func mustacheBody(_ letter: LetterFields) -> String {
        template.render(letter.mustacheContext)
    }

    /// The whole HTML document for `letters`.
    public func document(_ letters: [LetterFields], title: String) -> String {
        var html = ""
        write(letters, title: title) { html += $0 }
        return html
    }

    /// The HTML document for `letters`, handed to `emit` a piece of about `chunk` bytes at a time: a
    /// hundred thousand letters are about 400 MB of HTML, which is never held at once.
    func write<Letters: Sequence<LetterFields>>(
        _ letters: Letters, title: String, chunk: Int = 1 << 20, emit: (String) throws -> Void
    ) rethrows {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escaped(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>

            """
        // The compiled template is used once it gave Mustache's bytes for the first letter.
        var compiled = self.compiled
        var first = true
        for letter in letters {
            html += "<section class=\"letter\">\n"
            if let fast = compiled, !first {
                fast.render(letter, into: &html)
            } else if let fast = compiled {
                var body = ""
                fast.render(letter, into: &body)
                let mustache = mustacheBody(letter)
                if body != mustache { compiled = nil }
                html += mustache
            } else {
                html += mustacheBody(letter)
            }
            first = false
            html += "\n</section>\n"
            if html.utf8.count >= chunk {
                try emit(html)
                html = ""
                html.reserveCapacity(chunk + 8192)
            }
        }
        try emit(html + "</body>\n</html>\n")
    }

    /// Print first: A4, one letter per page. The credentials are in a typewriter face where 1/l/I look
    /// different (DejaVu Sans Mono and Liberation Mono ship with most Linux desktops; Consolas and Menlo
    /// elsewhere); the zero gets a slash drawn over it, since not every such face slashes or dots it.
    static let style = """

        @page { size: A4; margin: 16mm 18mm; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; margin: 0; }
        .letter { break-after: page; page-break-after: always; }
        .letter:last-child { break-after: auto; page-break-after: auto; }
        @media screen { .letter { max-width: 174mm; margin: 12mm auto; padding-bottom: 12mm; border-bottom: 1px solid #999; } }
        header { display: flex; justify-content: space-between; border-bottom: 2px solid #000; margin-bottom: 4mm; }
        header p { margin: 0 0 2mm; }
        .school { font-size: 15pt; font-weight: bold; }
        h1 { font-size: 14pt; margin: 2mm 0; }
        h2 { font-size: 11.5pt; margin: 4mm 0 1mm; }
        p { margin: 1.5mm 0; }
        ol, ul { margin: 1mm 0; padding-left: 6mm; }
        li { margin: 0.5mm 0; }
        .credential { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, Menlo, monospace; }
        .zero { position: relative; }
        .zero::after { content: ""; position: absolute; left: 0.12em; right: 0.12em; top: 50%; border-top: 0.07em solid; transform: rotate(-62deg); }
        table.credentials { border: 2px solid #000; border-collapse: collapse; margin: 3mm 0 1mm; }
        table.credentials th, table.credentials td { border: 1px solid #000; padding: 2mm 4mm; text-align: left; }
        table.credentials td { font-size: 13pt; }
        table.credentials td.password { font-size: 16pt; letter-spacing: 0.08em; }
        .hint { font-size: 9pt; }
        .slip { margin-top: 6mm; break-inside: avoid; page-break-inside: avoid; }
        .cut { font-size: 8.5pt; text-align: center; white-space: nowrap; overflow: hidden; margin-bottom: 3mm; }
        table.sign { width: 100%; border-collapse: collapse; }
        table.sign th { width: 25mm; text-align: left; padding: 2.5mm 0; }
        table.sign td.line { border-bottom: 1px solid #000; }

        """

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// What one letter's template may use: `{{school_name}}`, `{{parent_name}}`, `{{given_name}}`,
/// `{{family_name}}`, `{{username}}`, `{{password}}`, `{{login_url}}`, `{{date}}`, the same three with
/// a slashed zero as HTML (`{{{username_html}}}`, `{{{password_html}}}`, `{{{login_url_html}}}`), and
/// `{{#children}}{{name}} {{school_name}}{{^last}}, {{/last}}{{/children}}`.
public struct LetterFields: Sendable, Equatable {
    public struct Child: Sendable, Equatable {
        public var name: String
        public var schoolName: String
    }

    public var schoolName: String
    public var givenName: String
    public var familyName: String
    public var username: String
    public var password: String
    public var loginURL: String
    public var date: String
    public var children: [Child]

    /// The fields of `row`'s letter: the school is the first child's (a parent with children at several
    /// schools gets one letter, headed with their names joined).
    public init(_ row: CredentialsRow, names: ChildNames, loginURL: String?, date: String) {
        let children = row.children.sorted().map { Child(name: names.name(of: $0), schoolName: names.school(of: $0)) }
        var schools: [String] = []
        for child in children where !schools.contains(child.schoolName) { schools.append(child.schoolName) }
        schoolName = schools.joined(separator: " and ")
        givenName = row.givenName
        familyName = row.familyName
        username = row.username
        password = row.initialPassword
        self.loginURL = loginURL ?? ""
        self.date = date
        self.children = children
    }

    public var parentName: String {
        [givenName, familyName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `text` HTML-escaped, each zero drawn with a slash through it (`class="zero"`): no typeface on the
    /// printing computer can then make a zero look like the letter O.
    static func marked(_ text: String) -> String {
        // ASCII (usernames, passwords, addresses, nearly always) in one pass over the bytes; anything else
        // as Foundation replaces it. The same text either way (LetterTemplateTests).
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return markedByReplacing(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 64)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "0"): out += Array("<span class=\"zero\">0</span>".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func markedByReplacing(_ text: String) -> String {
        LetterTemplate.escaped(text).replacingOccurrences(of: "0", with: "<span class=\"zero\">0</span>")
    }

    var mustacheContext: [String: Any] {
        [
            "school_name": schoolName, "parent_name": parentName, "given_name": givenName, "family_name": familyName,
            "username": username, "password": password, "login_url": loginURL, "date": date,
            "username_html": Self.marked(username), "password_html": Self.marked(password), "login_url_html": Self.marked(loginURL),
            "children": children.enumerated().map { index, child in
                ["name": child.name, "school_name": child.schoolName, "last": index == children.count - 1] as [String: Any]
            },
        ]
    }
}
