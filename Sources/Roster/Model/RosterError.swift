/// One reason a source cannot be used. Each names the file, and the line and column where there is one.
public struct RosterError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable, Codable {
        /// The file (or folder, or zip) could not be opened or read.
        case unreadable(reason: String)
        /// The file has no bytes, or no header row.
        case empty
        /// A required column is not in the header. `found` lists the header as read, for comparison.
        case missingColumns(missing: [String], found: [String])
        /// A row that breaks the format: bad quoting, a value that is required but blank, a bad XML tag.
        case malformed(reason: String)
        /// The source was read but holds no pupil at all, which is never a real export.
        case noPupils
        /// The config asks for something the reader cannot do (an unknown preset, a column map naming
        /// fields that do not exist).
        case unsupported(reason: String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The file, and the line and column where there is one.
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// `file:line:column: message`, the one line a person reads.
    public var description: String {
        let message: String
        switch kind {
        case .unreadable(let reason): message = "cannot read: \(reason)"
        case .empty: message = "the file is empty"
        case .missingColumns(let missing, let found):
            let names = missing.count == 1 ? "column" : "columns"
            message = "missing required \(names) \(missing.joined(separator: ", ")); "
                + "the header has: \(found.isEmpty ? "(nothing)" : found.joined(separator: ", "))"
        case .malformed(let reason): message = reason
        case .noPupils: message = "no pupil found: an export without pupils is never used"
        case .unsupported(let reason): message = reason
        }
        return "\(location): error: \(message)"
    }
}

/// Every error found in one source (up to a limit), so that one run shows them all. Thrown by readers
/// instead of a single `RosterError` whenever a read fails; the warnings found so far come with it.
public struct RosterErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors, in the order they were found. Never empty.
    public var errors: [RosterError]
    /// True when more errors were found than `errors` holds.
    public var truncated: Bool
    /// The warnings found before reading stopped.
    public var warnings: [RosterWarning]

    public init(errors: [RosterError], truncated: Bool = false, warnings: [RosterWarning] = []) {
        self.errors = errors
        self.truncated = truncated
        self.warnings = warnings
    }

    public var description: String {
        var lines = errors.map(\.description)
        if truncated { lines.append("(more errors not shown)") }
        return lines.joined(separator: "\n")
    }
}
