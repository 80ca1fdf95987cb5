/// Something odd in a source that does not stop it being read. Reports show each one with its
/// location so that the school office can fix the MIS.
public struct RosterWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of oddity: stable codes for JSON reports (`{"code", "message", "file", "line"}`).
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// The bytes were not UTF-8 and were read as Windows-1252.
        case legacyEncoding = "legacy-encoding"
        /// The same pupil and contact appeared on more than one row; the rows were merged.
        case duplicateLink = "duplicate-link"
        /// The same pupil appeared more than once with different details; the first was kept.
        case conflictingPupil = "conflicting-pupil"
        /// The same contact id appeared with different details; the first was kept.
        case conflictingContact = "conflicting-contact"
        /// A relationship the reader does not know; kept raw, normalised to `unknown`.
        case unknownRelationship = "unknown-relationship"
        /// A value that could not be read (a date, a flag, a number) and was treated as blank.
        case unreadableValue = "unreadable-value"
        /// A name containing `_`, which Excel writes for a character its code page lacks.
        case suspectCharacter = "suspect-character"
        /// A link or agent that points at a record that is not there, or not a pupil or contact.
        case danglingReference = "dangling-reference"
        /// A row or record that holds nothing to read (a contact with no name, an empty contact group).
        case skippedRecord = "skipped-record"
    }

    /// The kind of oddity.
    public var code: Code
    /// One line for a person.
    public var message: String
    /// Where it is, when it is somewhere in particular.
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `file:line:column: warning: message`.
    public var description: String {
        if let location { return "\(location): warning: \(message)" }
        return "warning: \(message)"
    }
}
