/// Where a record, warning or error came from: a file, and a line (and column) inside it when known.
///
/// Lines and columns count from 1. A record that spans several lines (a quoted field holding a newline)
/// is located at the line where it starts.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as the config named it (or as found inside a folder or zip), for people to find it.
    public var file: String
    /// The 1-based line, or `nil` when the problem is with the file as a whole.
    public var line: Int?
    /// The 1-based column (in characters, or the CSV field number for a CSV row), when known.
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
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
