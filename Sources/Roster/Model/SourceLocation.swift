/// Where a record, warning or error came from: a file, and a line (and column) inside it when known.
///
/// Lines and columns count from 1. A record that spans several lines (a quoted field holding a newline)
/// is located at the line where it starts.
///
/// Every pupil, contact and link carries one (a local authority's sources hold half a million), so the
/// line and column are held in 32 bits each rather than as two `Int?` (24 bytes instead of 48 a
/// record). A line or column beyond ±2,147,483,647 reads as that bound: no file has as many lines, and
/// no reader counts columns that far.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as the config named it (or as found inside a folder or zip), for people to find it.
    public var file: String
    /// `line` and `column`, `Int32.min` standing for `nil`.
    private var storedLine: Int32
    private var storedColumn: Int32

    /// The 1-based line, or `nil` when the problem is with the file as a whole.
    public var line: Int? {
        get { Self.value(storedLine) }
        set { storedLine = Self.stored(newValue) }
    }

    /// The 1-based column (in characters, or the CSV field number for a CSV row), when known.
    public var column: Int? {
        get { Self.value(storedColumn) }
        set { storedColumn = Self.stored(newValue) }
    }

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        storedLine = Self.stored(line)
        storedColumn = Self.stored(column)
    }

    private static func stored(_ value: Int?) -> Int32 {
        guard let value else { return .min }
        return Int32(clamping: max(value, -Int(Int32.max)))
    }

    private static func value(_ stored: Int32) -> Int? {
        stored == .min ? nil : Int(stored)
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

extension SourceLocation: Codable {
    private enum CodingKeys: String, CodingKey {
        case file, line, column
    }

    /// As the synthesised form was: `file`, then `line` and `column` when known.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            file: try container.decode(String.self, forKey: .file),
            line: try container.decodeIfPresent(Int.self, forKey: .line),
            column: try container.decodeIfPresent(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(column, forKey: .column)
    }
}
