/// A file to read, and the name reports show for it (the path as the config wrote it).
public struct SourceFile: Sendable, Hashable {
    /// Where the file is.
    public var path: String
    /// How messages name it.
    public var displayName: String

    public init(path: String, displayName: String? = nil) {
        self.path = path
        self.displayName = displayName ?? path
    }
}

/// What the config says about a source that its files may not: its school, and how many errors to show.
public struct ReaderOptions: Sendable, Hashable {
    /// The school id when the files do not carry one (`sources[].school_id`).
    public var schoolID: String?
    /// The school's name for letters and reports (`sources[].school_name`).
    public var schoolName: String?
    /// How many errors to collect before giving up on the source.
    public var errorLimit: Int

    public init(schoolID: String? = nil, schoolName: String? = nil, errorLimit: Int = RosterBuilder.defaultErrorLimit) {
        self.schoolID = schoolID.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0.trimmingWhitespace() }
        self.schoolName = schoolName
        self.errorLimit = errorLimit
    }
}
