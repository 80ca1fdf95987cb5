/// Refuses, before XMLParser sees them, the bytes that would crash it.
///
/// libxml2 hands element names, attributes and processing instructions to FoundationXML as bytes it
/// has not always checked, and FoundationXML force-unwraps their decoding as UTF-8: one name with a
/// byte that is not UTF-8 traps the whole process. The fuzzer found two such files (an element name,
/// a processing instruction; kept in Tests/RosterTests/FuzzRegressions/ctf). So a document that libxml2
/// will not convert itself (it says UTF-8, names no encoding, or names one libxml2 does not know) must
/// be valid UTF-8 throughout; one in UTF-16 (a byte order mark) or in a single-byte encoding libxml2
/// converts is left to libxml2.
struct XMLBytesCheck {
    /// Encodings libxml2 converts to UTF-8 itself before any callback (lower case).
    static let converted: Set<String> = [
        "iso-8859-1", "iso8859-1", "latin1", "latin-1", "iso-8859-15", "windows-1252", "cp1252",
        "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be",
    ]

    /// Whether the document must be UTF-8; nil until its first 256 bytes (or all of it) are seen.
    private var checking: Bool?
    private var header: [UInt8] = []
    private var continuation = 0
    /// Bytes checked so far.
    private(set) var offset = 0

    /// Checks the next chunk; the offset of the first byte that is not UTF-8, when the document must be
    /// UTF-8 and is not. Call `finish()` after the last chunk.
    mutating func scan(_ chunk: some Collection<UInt8>) -> Int? {
        guard let checking else {
            header += chunk
            guard header.count >= 256 else { return nil }
            return decide()
        }
        return checking ? validate(chunk) : nil
    }

    /// After the last chunk: decides a short document, and catches a sequence cut off at the end.
    mutating func finish() -> Int? {
        if checking == nil, let bad = decide() { return bad }
        return checking == true && continuation > 0 ? offset : nil
    }

    private mutating func decide() -> Int? {
        let mustBe = Self.mustBeUTF8(header)
        checking = mustBe
        defer { header = [] }
        return mustBe ? validate(header) : nil
    }

    /// Whether a document that begins with `header` must be valid UTF-8.
    static func mustBeUTF8(_ header: [UInt8]) -> Bool {
        if header.starts(with: [0xFF, 0xFE]) || header.starts(with: [0xFE, 0xFF]) { return false }
        let text = String(decoding: header.prefix(256), as: UTF8.self).lowercased()
        guard text.contains("<?xml"), let range = text.range(of: "encoding=") else { return true }
        var name = text[range.upperBound...].dropFirst()
        if let end = name.firstIndex(where: { $0 == "\"" || $0 == "'" }) { name = name[..<end] }
        return !converted.contains(String(name))
    }

    /// Advances the UTF-8 state over `bytes`; the offset of a bad byte, if any.
    private mutating func validate(_ bytes: some Collection<UInt8>) -> Int? {
        for byte in bytes {
            defer { offset += 1 }
            if continuation > 0 {
                guard byte & 0xC0 == 0x80 else { return offset }
                continuation -= 1
            } else if byte < 0x80 {
                continue
            } else if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                continuation = 1
            } else if byte & 0xF0 == 0xE0 {
                continuation = 2
            } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                continuation = 3
            } else {
                return offset
            }
        }
        return nil
    }

    /// The error for a document that is not UTF-8 at `offset`, for the file `name`.
    static func error(at offset: Int, file name: String) -> RosterError {
        RosterError(
            .malformed(reason: "not valid UTF-8 at byte \(offset), and the document does not name an encoding that would explain it: a damaged file"),
            at: SourceLocation(file: name))
    }
}
