/// A letter template compiled once into pieces that fill a letter without Mustache's generic machinery
/// (a dictionary of `Any` per letter, a context stack, a lookup by name and a `Character`-wise escape per
/// value): the letters of a first run of 10,000 accounts took a fifth of its client CPU that way.
///
/// Only the part of Mustache that letter templates use is compiled: text, `{{field}}`, `{{{field}}}`,
/// `{{#children}}…{{/children}}` and, inside it, `{{^last}}…{{/last}}` / `{{#last}}…{{/last}}`, none of
/// them alone on a line (Mustache drops such a line's whitespace). Any other template — comments,
/// partials, other sections, unknown names, dotted names, transforms, changed delimiters — is not
/// compiled (`init` returns nil) and `LetterTemplate` renders it through Mustache as before, so the output
/// is Mustache's either way (LetterTemplateTests compares the two).
struct CompiledLetter: Sendable {
    enum Field: String, Sendable, CaseIterable {
        case schoolName = "school_name", parentName = "parent_name", givenName = "given_name", familyName = "family_name"
        case username, password, loginURL = "login_url", date
        case usernameHTML = "username_html", passwordHTML = "password_html", loginURLHTML = "login_url_html"
    }

    enum ChildField: String, Sendable {
        case name, schoolName = "school_name"
    }

    indirect enum Piece: Sendable {
        case text(String)
        case field(Field, escaped: Bool)
        /// A field of the child being rendered (inside `children`).
        case childField(ChildField, escaped: Bool)
        case children([Piece])
        /// Rendered for the last child (`true`) or every other one (`false`).
        case last(Bool, [Piece])
    }

    let pieces: [Piece]

    /// The template compiled, or nil when it uses more of Mustache than this renders.
    init?(_ text: String) {
        var parser = Parser(text: Array(text.unicodeScalars))
        guard let pieces = parser.pieces(inside: nil), parser.position == parser.text.count else { return nil }
        self.pieces = pieces
    }

    /// One letter's body, appended to `out`.
    func render(_ letter: LetterFields, into out: inout String) {
        let values = FieldValues(letter)
        Self.render(pieces, values, child: nil, into: &out)
    }

    private static func render(_ pieces: [Piece], _ values: FieldValues, child: Int?, into out: inout String) {
        for piece in pieces {
            switch piece {
            case .text(let text):
                out += text
            case .field(let field, let escaped):
                let value = values.value(field)
                if escaped { HTMLText.escape(value, into: &out) } else { out += value }
            case .childField(let field, let escaped):
                guard let child else { continue }
                let value = field == .name ? values.letter.children[child].name : values.letter.children[child].schoolName
                if escaped { HTMLText.escape(value, into: &out) } else { out += value }
            case .children(let inner):
                for index in values.letter.children.indices { render(inner, values, child: index, into: &out) }
            case .last(let wanted, let inner):
                guard let child else { continue }
                if (child == values.letter.children.count - 1) == wanted { render(inner, values, child: child, into: &out) }
            }
        }
    }

    /// The letter's values, the slashed-zero forms made only when the template uses them.
    private struct FieldValues {
        let letter: LetterFields

        init(_ letter: LetterFields) { self.letter = letter }

        func value(_ field: Field) -> String {
            switch field {
            case .schoolName: letter.schoolName
            case .parentName: letter.parentName
            case .givenName: letter.givenName
            case .familyName: letter.familyName
            case .username: letter.username
            case .password: letter.password
            case .loginURL: letter.loginURL
            case .date: letter.date
            case .usernameHTML: LetterFields.marked(letter.username)
            case .passwordHTML: LetterFields.marked(letter.password)
            case .loginURLHTML: LetterFields.marked(letter.loginURL)
            }
        }
    }

    /// Reads `{{…}}` tags; gives up (nil) on anything outside the compiled part of Mustache.
    private struct Parser {
        let text: [Unicode.Scalar]
        var position = 0

        /// The pieces up to the closing tag of `section` (nil: the end of the template).
        mutating func pieces(inside section: String?) -> [Piece]? {
            var pieces: [Piece] = []
            var literal = String.UnicodeScalarView()
            func flush() {
                if !literal.isEmpty { pieces.append(.text(String(literal))) }
                literal = String.UnicodeScalarView()
            }
            while position < text.count {
                guard starts("{{") else {
                    literal.append(text[position])
                    position += 1
                    continue
                }
                let tagStart = position
                if starts("{{{") {
                    position += 3
                    guard let name = readName(), starts("}}}") else { return nil }
                    position += 3
                    guard let piece = variable(name, escaped: false, inChildren: section == "children" || section == "last") else { return nil }
                    flush()
                    pieces.append(piece)
                    continue
                }
                position += 2
                let sigil = position < text.count ? text[position] : " "
                if sigil == "#" || sigil == "^" || sigil == "/" { position += 1 }
                guard let name = readName(), starts("}}") else { return nil }
                position += 2
                switch sigil {
                case "#", "^":
                    // A section tag alone on its line would have the line's whitespace dropped by Mustache.
                    guard !standalone(tagStart, position) else { return nil }
                    let piece: Piece
                    if sigil == "#", name == "children", section == nil {
                        guard let inner = self.pieces(inside: "children") else { return nil }
                        piece = .children(inner)
                    } else if name == "last", section == "children" {
                        guard let inner = self.pieces(inside: "last") else { return nil }
                        piece = .last(sigil == "#", inner)
                    } else {
                        return nil
                    }
                    flush()
                    pieces.append(piece)
                case "/":
                    guard name == section, !standalone(tagStart, position) else { return nil }
                    flush()
                    return pieces
                default:
                    guard let piece = variable(name, escaped: true, inChildren: section == "children" || section == "last") else { return nil }
                    flush()
                    pieces.append(piece)
                }
            }
            guard section == nil else { return nil }
            flush()
            return pieces
        }

        /// A field by name: the child's own fields first inside `children`, as Mustache's context stack has it.
        func variable(_ name: String, escaped: Bool, inChildren: Bool) -> Piece? {
            if inChildren, let field = ChildField(rawValue: name) { return .childField(field, escaped: escaped) }
            return Field(rawValue: name).map { .field($0, escaped: escaped) }
        }

        func starts(_ prefix: String) -> Bool {
            var index = position
            for scalar in prefix.unicodeScalars {
                guard index < text.count, text[index] == scalar else { return false }
                index += 1
            }
            return true
        }

        /// A plain name (`a`–`z`, `_`), nothing else in the tag.
        mutating func readName() -> String? {
            var name = String.UnicodeScalarView()
            while position < text.count, ("a"..."z").contains(text[position]) || text[position] == "_" {
                name.append(text[position])
                position += 1
            }
            return name.isEmpty ? nil : String(name)
        }

        /// Whether only spaces and tabs are between the tag and the line's start and end.
        func standalone(_ start: Int, _ end: Int) -> Bool {
            var before = start - 1
            while before >= 0, text[before] == " " || text[before] == "\t" { before -= 1 }
            guard before < 0 || text[before] == "\n" else { return false }
            var after = end
            while after < text.count, text[after] == " " || text[after] == "\t" || text[after] == "\r" { after += 1 }
            return after == text.count || text[after] == "\n"
        }
    }
}

/// HTML escaping exactly as Mustache's `{{…}}` does it: `<`, `>`, `&`, `"` and `'` when they stand as
/// characters of their own (a combining mark after one makes a different character, left as it is).
enum HTMLText {
    static func escape(_ value: String, into out: inout String) {
        var ascii = true
        var plain = true
        for byte in value.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "'")
            {
                plain = false
            }
        }
        if ascii, plain {
            out += value
            return
        }
        for character in value {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
    }
}
