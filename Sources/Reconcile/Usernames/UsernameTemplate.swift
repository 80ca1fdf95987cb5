/// The `accounts.username` template: literal text with the placeholders `{given}`, `{family}`, `{g}`
/// (the given name's initial) and `{email_local}` (the part of the e-mail address before `@`).
///
/// Each placeholder is folded to ASCII; the literal text keeps only characters a `uid` may hold
/// (letters, digits, `.`, `-`, `_`). The result is lower case with no spaces or apostrophes.
public struct UsernameTemplate: Sendable, Hashable {
    /// One piece of a parsed template.
    enum Piece: Sendable, Hashable {
        case literal(String)
        case given, family, givenInitial, emailLocal
    }

    let pieces: [Piece]
    /// The template as written in the config, for messages.
    public let source: String

    /// Parses a template; an unknown placeholder or an unclosed brace is an error that names it.
    public init(_ template: String) throws(UsernameTemplateError) {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw .unclosedPlaceholder(template: template)
            }
            let name = String(rest[rest.index(after: open)..<close])
            switch name {
            case "given": pieces.append(.given)
            case "family": pieces.append(.family)
            case "g": pieces.append(.givenInitial)
            case "email_local": pieces.append(.emailLocal)
            default: throw .unknownPlaceholder(name, template: template)
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        // Literals are cleaned once here, not on every render.
        pieces = pieces.map { piece in
            if case .literal(let text) = piece { return .literal(text.lowercased().filter(Self.isUIDCharacter)) }
            return piece
        }
        guard pieces.contains(where: { if case .literal = $0 { false } else { true } }) else {
            throw .noPlaceholder(template: template)
        }
        self.pieces = pieces
        self.source = template
    }

    /// The username this template makes for a person, before collisions are resolved: folded, lower
    /// case, trimmed of separators at either end, with no doubled separator where a part was empty.
    /// Empty when every placeholder came out empty (a name in a script that does not fold to ASCII).
    public func render(given: String, family: String, email: String?) -> String {
        let foldedGiven = ASCIIFolding.fold(given)
        var text = ""
        var placeholderFilled = false
        for piece in pieces {
            let value: String
            switch piece {
            case .literal(let literal):
                text += literal
                continue
            case .given: value = foldedGiven
            case .family: value = ASCIIFolding.fold(family)
            case .givenInitial: value = String(foldedGiven.prefix(1))
            case .emailLocal:
                // Split only when the template asks for it: most templates never do.
                value = Self.foldEmailLocal(email.flatMap { $0.split(separator: "@").first }.map(String.init) ?? "")
            }
            placeholderFilled = placeholderFilled || !value.isEmpty
            text += value
        }
        guard placeholderFilled else { return "" }
        return Self.tidySeparators(text)
    }

    /// E-mail local parts keep their own dots, hyphens and underscores ("jane.smith@…").
    static func foldEmailLocal(_ local: String) -> String {
        local.split(whereSeparator: { ".-_+".contains($0) })
            .map { ASCIIFolding.fold(String($0)) }
            .filter { !$0.isEmpty }
            .joined(separator: ".")
    }

    static func isUIDCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
    }

    /// Drops separators at either end and collapses runs of them, which appear where a part is empty.
    /// Works on bytes: by now the text is ASCII.
    static func tidySeparators(_ text: String) -> String {
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2E || byte == 0x2D || byte == 0x5F }
        // Written straight into the string: most usernames fit a small string, with no heap buffer.
        return String(unsafeUninitializedCapacity: text.utf8.count) { out in
            var count = 0
            for byte in text.utf8 {
                if isSeparator(byte), count == 0 || isSeparator(out[count - 1]) { continue }
                out[count] = byte
                count += 1
            }
            while count > 0, isSeparator(out[count - 1]) { count -= 1 }
            return count
        }
    }
}

/// A username template that cannot be used; the message names the template and the problem.
public enum UsernameTemplateError: Error, Equatable, CustomStringConvertible {
    case unknownPlaceholder(String, template: String)
    case unclosedPlaceholder(template: String)
    case noPlaceholder(template: String)

    public var description: String {
        switch self {
        case .unknownPlaceholder(let name, let template):
            "accounts.username \"\(template)\": unknown placeholder {\(name)}; "
                + "use {given}, {family}, {g} or {email_local}"
        case .unclosedPlaceholder(let template):
            "accounts.username \"\(template)\": a \"{\" is never closed"
        case .noPlaceholder(let template):
            "accounts.username \"\(template)\": needs at least one of {given}, {family}, {g}, {email_local}, "
                + "or every parent would get the same name"
        }
    }
}
