import Roster

/// What a run needs of its sources once it has planned: enough to write, to fill the letters and to
/// remember this run for the next, without the rosters themselves.
public struct SourceSummary: Sendable {
    /// One readable source: its path as written in the config and the schools it lists.
    public struct Readable: Sendable {
        public var path: String
        public var schools: Set<String>
    }

    public var readable: [Readable] = []
    /// Every error of every unreadable source.
    public var errors: [RosterErrors] = []
    /// Link records per school in the readable sources (what `min_source_ratio` compares).
    public var recordsPerSchool: [String: Int] = [:]
    /// The leaver notes of the pupils the readable sources list (the first source's when two list one).
    public var leaverNotes: [String: LeaverNote] = [:]
    /// The children's and schools' names for the letters.
    public var childNames = ChildNames()

    public init() {}

    public init(_ sources: SourceSet, leavingYearGroups: [String]) {
        let groups = Set(leavingYearGroups.map(SchoolYear.normalised))
        readable = sources.readable.map { Readable(path: $0.config.pathAsWritten, schools: $0.roster.schoolIDs) }
        errors = sources.errors
        recordsPerSchool = sources.recordsPerSchool
        for source in sources.readable {
            leaverNotes.merge(SchoolYear.notes(source.roster, leavingYearGroups: groups)) { first, _ in first }
        }
        childNames = ChildNames(sources)
    }
}
