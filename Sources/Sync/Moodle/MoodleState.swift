import Foundation

/// What ldap-sync has told Moodle, kept in `state_dir/moodle.json`: no web service lists the role
/// assignments in user contexts, so the pairs applied are remembered here, and a pair that vanishes from
/// the directory is unassigned from this record. Also the calls still owed and those waiting for a
/// person's first Moodle login.
public struct MoodleState: Sendable, Equatable, Codable {
    /// An assignment made: the pair and the Moodle ids it was made with.
    public struct Assigned: Sendable, Hashable, Codable {
        public var pair: MoodlePair
        public var parentID: Int
        public var pupilID: Int
        /// The role it was made with (`parent_role_id` then).
        public var roleID: Int
        /// The `pupil_match` the pupil's key was made with.
        public var pupilMatch: String
    }

    public var assigned: [Assigned] = []
    /// Parents ldap-sync suspended (or found disabled and absent from Moodle), by username.
    public var suspended: Set<String> = []
    /// Calls planned but not made: Moodle was down or refused. Retried first on the next run.
    public var owed: [MoodleCall] = []
    /// Assignments waiting for the parent or pupil to exist in Moodle (first LDAP login): not an error.
    public var waiting: [MoodleCall] = []

    public init() {}

    static func url(_ stateDirectory: String) -> URL {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent("moodle.json")
    }

    /// The state in `stateDirectory`, or an empty one for a first run.
    public static func load(stateDirectory: String) throws -> MoodleState {
        let url = url(stateDirectory)
        guard let data = FileManager.default.contents(atPath: url.path) else { return MoodleState() }
        do {
            return try JSONDecoder().decode(MoodleState.self, from: data)
        } catch {
            throw MoodleStateError(path: url.path, reason: "\(error)")
        }
    }

    /// Writes atomically (a new file renamed over the old).
    public func save(stateDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var copy = self
        copy.assigned.sort { $0.pair < $1.pair }
        try AtomicFile.replace(Self.url(stateDirectory).path, with: try encoder.encode(copy), permissions: 0o600)
    }
}

/// `state_dir/moodle.json` is not readable as the connector's record.
public struct MoodleStateError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): not the Moodle connector's record (\(reason)); move it aside to start again" }
}
