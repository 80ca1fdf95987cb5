import Foundation

/// What one run leaves for the next in `state_dir`: the size of each school's export at the last good
/// run (for `safety.min_source_ratio`) and every username ever issued (never handed out again).
public struct RunState: Codable, Sendable, Equatable {
    /// Pupil–contact link records per school at the last run that read that school cleanly.
    public var lastGoodRecords: [String: Int] = [:]
    /// Every username ldap-sync has ever given, lower case.
    public var issuedUsernames: Set<String> = []
    /// The header of each CSV source at its last good run (normalised, sorted), by path as written.
    public var lastGoodColumns: [String: [String]] = [:]
    /// The school's restrictions in force at the last apply (see `RestrictionLog`), so that one that
    /// ended or was taken out of the file is logged as lifted.
    public var activeRestrictions: [String] = []
    /// Pupils who may leave (of `safety.leaving_year_groups`, or with a leaving date) at the last good run
    /// of their school, by `<school_id>/<pupil_id>`: when they vanish, the run knows whether to expect it.
    public var lastGoodLeavers: [String: LeaverNote] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case lastGoodRecords = "last_good_records"
        case issuedUsernames = "issued_usernames"
        case lastGoodColumns = "last_good_columns"
        case activeRestrictions = "active_restrictions"
        case lastGoodLeavers = "last_good_leavers"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastGoodRecords = try container.decodeIfPresent([String: Int].self, forKey: .lastGoodRecords) ?? [:]
        issuedUsernames = try container.decodeIfPresent(Set<String>.self, forKey: .issuedUsernames) ?? []
        lastGoodColumns = try container.decodeIfPresent([String: [String]].self, forKey: .lastGoodColumns) ?? [:]
        activeRestrictions = try container.decodeIfPresent([String].self, forKey: .activeRestrictions) ?? []
        lastGoodLeavers = try container.decodeIfPresent([String: LeaverNote].self, forKey: .lastGoodLeavers) ?? [:]
    }

    static func path(_ stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent("state.json")
    }

    /// The state in `stateDirectory`, or an empty one before the first run.
    public static func load(stateDirectory: String) throws -> RunState {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory)) else { return RunState() }
        return try decode(data)
    }

    /// Writes the state atomically (a new file renamed over the old), so a run killed while saving leaves
    /// the previous state intact rather than half a file.
    public func save(stateDirectory: String) throws {
        try AtomicFile.replace(Self.path(stateDirectory), with: try encoded(), permissions: 0o600)
    }

    /// The schools whose export shrank below `ratio` × their last good run; a school missing altogether
    /// from sources that listed it before counts as shrunk to nothing.
    ///
    /// `expectedLoss` are records per school whose going is expected (leavers at the end of the school
    /// year): the yardstick is the last good run without them.
    public func shrunkSchools(_ records: [String: Int], ratio: Double, expectedLoss: [String: Int] = [:]) -> Set<String> {
        Set(lastGoodRecords.compactMap { school, last in
            let yardstick = max(0, last - (expectedLoss[school] ?? 0))
            return yardstick > 0 && Double(records[school] ?? 0) < ratio * Double(yardstick) ? school : nil
        })
    }
}
