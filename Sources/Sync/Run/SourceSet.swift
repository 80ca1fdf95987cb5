import Reconcile
import Roster

/// Every configured source read for one run: the rosters that could be read, and for those that could
/// not, the errors and the schools they hold back.
public struct SourceSet: Sendable {
    /// One readable source.
    public struct Readable: Sendable {
        public var config: SourceConfig
        public var roster: Roster
    }

    public var readable: [Readable] = []
    /// Every error of every unreadable source (each names file, line and column).
    public var errors: [RosterErrors] = []
    /// Schools of unreadable sources whose school is known from the config.
    public var unreadableSchools: Set<String> = []
    /// True when an unreadable source does not say which school it is (no `school_id`): every school the
    /// directory knows but no readable source lists must then be treated as unreadable.
    public var unreadableSchoolsUnknown = false

    /// Reads every source; a bad one never stops the others, so one run reports every problem.
    public static func read(_ sources: [SourceConfig], progress: (any RunProgress)? = nil) -> SourceSet {
        var set = SourceSet()
        progress?.update(.sources, done: 0, total: sources.count)
        defer { progress?.end(.sources) }
        for (index, source) in sources.enumerated() {
            defer { progress?.update(.sources, done: index + 1, total: sources.count) }
            switch SourceReader.read(source) {
            case .success(let roster):
                set.readable.append(Readable(config: source, roster: roster))
            case .failure(let errors):
                set.errors.append(errors)
                if let school = source.schoolID { set.unreadableSchools.insert(school) } else { set.unreadableSchoolsUnknown = true }
            }
        }
        return set
    }

    /// Lets the rosters go, keeping each source's config and the errors: for a run that has taken what it
    /// needs of them (`SourceSummary`, the people) and must not hold them through planning and writing.
    mutating func dropRosters() {
        for index in readable.indices { readable[index].roster = Roster() }
    }

    /// Throws every source's errors together when any source could not be read.
    public func requireAllReadable() throws(SourceErrors) {
        guard errors.isEmpty else { throw SourceErrors(failures: errors) }
    }

    /// The rosters as identity resolution takes them. Named by position and path: two entries may name
    /// the same path, and contacts of one pupil count as distinct people only within one source.
    public var rosterSources: [RosterSource] {
        readable.enumerated().map { index, source in
            RosterSource(name: "\(index + 1):\(source.config.pathAsWritten)", roster: source.roster)
        }
    }

    /// Link records per school in the readable sources (what `min_source_ratio` compares).
    public var recordsPerSchool: [String: Int] {
        var counts: [String: Int] = [:]
        for source in readable {
            // In place (a `for` over the array copied every link), and a school's links, which a source
            // lists together, counted as a run with one look-up.
            source.roster.links.withUnsafeBufferPointer { links in
                var start = 0
                while start < links.count {
                    let school = links[start].pupil.schoolID
                    var end = start + 1
                    while end < links.count, links[end].pupil.schoolID == school { end += 1 }
                    counts[school, default: 0] += end - start
                    start = end
                }
            }
        }
        return counts
    }

    /// The schools the readable sources list.
    public var schools: Set<String> {
        Set(readable.flatMap { $0.roster.pupils.map(\.reference.schoolID) })
    }

    /// `value.uppercased()`, without a new string for one that has no lower-case letter (a UPN is
    /// written in capitals: 100,000 of them a run).
    static func upperCased(_ value: String) -> String {
        value.utf8.allSatisfy({ $0 < 0x61 || ($0 > 0x7A && $0 < 0x80) }) ? value : value.uppercased()
    }

    /// The pupils' UPNs (or ids) by reference, to find their own directory entries.
    public var pupilMatchValues: [String: String] {
        var values: [String: String] = [:]
        // Sized once and read in place: growing the dictionary and copying every pupil were most of this.
        values.reserveCapacity(readable.reduce(0) { $0 + $1.roster.pupils.count })
        for source in readable {
            source.roster.pupils.withUnsafeBufferPointer { pupils in
                for pupil in pupils.indices {
                    values[pupils[pupil].reference.description] = Self.upperCased(pupils[pupil].upn ?? pupils[pupil].reference.pupilID)
                }
            }
        }
        return values
    }
}

/// Every unreadable source's errors, for commands that need all sources (exit 2).
public struct SourceErrors: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var failures: [RosterErrors]

    public var exitStatus: ExitStatus { .inputError }

    public var description: String { failures.map(\.description).joined(separator: "\n") }
}
