/// Where something is in the config file.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    /// The config file.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        guard let line else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}

/// Everything wrong with a config file, found in one reading so that one run shows it all.
/// A config error stops the run before any write (exit 2).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    /// One problem and where it is.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// Where the problem is.
        public var location: ConfigLocation
        /// What is wrong, for a person.
        public var message: String

        public var description: String { "\(location): error: \(message)" }
    }

    /// Never empty.
    public var problems: [Problem]

    /// A config error stops the run before any write.
    public var exitStatus: ExitStatus { .inputError }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
