/// Turns a field's bytes into a `String`: UTF-8 when the bytes are valid UTF-8, else Windows-1252,
/// remembering where the first such field was so that the reader can say so in one warning.
///
/// The choice is made per field rather than per file so that one pass over the bytes is enough: a file
/// saved by Excel in Windows-1252 has every non-ASCII field invalid as UTF-8, and its ASCII fields read
/// the same either way.
public struct FieldDecoder: Sendable {
    /// Where the first field that was not valid UTF-8 was, or `nil` when all were.
    public private(set) var firstLegacyField: SourceLocation?

    public init() {}

    /// The text of `bytes`; `location` is remembered if they needed Windows-1252.
    public mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, at location: @autoclosure () -> SourceLocation)
        -> String
    {
        // ASCII, the usual case, needs no validation; `String(validating:)` is kept for the rest.
        if ASCIIScan.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if firstLegacyField == nil { firstLegacyField = location() }
        return Windows1252.decode(bytes)
    }

    /// The text of `bytes` held in an array.
    public mutating func string(_ bytes: [UInt8], at location: @autoclosure () -> SourceLocation) -> String {
        bytes.withUnsafeBufferPointer { string($0, at: location()) }
    }
}

/// The Windows-1252 code page: ISO-8859-1 with printable characters in 0x80–0x9F (€, curly quotes, …),
/// which is what "ANSI" CSVs saved by Excel on Windows are.
enum Windows1252 {
    /// 0x80…0x9F; the five unassigned bytes map to the C1 controls, as browsers do.
    static let high: [Unicode.Scalar] = [
        "\u{20AC}", "\u{81}", "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", "\u{8D}", "\u{017D}", "\u{8F}",
        "\u{90}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", "\u{9D}", "\u{017E}", "\u{0178}",
    ]

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                scalars.append(high[Int(byte - 0x80)])
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }
}
