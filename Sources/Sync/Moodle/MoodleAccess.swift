import Directory
import Foundation

/// The Moodle side of a pupil's or a parent's links, for `access`: from what ldap-sync told Moodle
/// (`state_dir/moodle.json`); no web service lists user-context role assignments to ask instead.
public struct MoodleAccess: Sendable, Equatable, Codable {
    /// A parent who holds the parent role for the pupil in Moodle, with the Moodle ids it was made with.
    public struct Assignment: Sendable, Equatable, Codable {
        public var parent: String
        public var pupil: String
        public var parentID: Int
        public var pupilID: Int
    }

    /// The pupil's Moodle key, or the parent's username, that was asked about.
    public var subject: String
    /// Parent-role assignments Moodle was given.
    public var assigned: [Assignment]
    /// Calls Moodle still owes (it was down or refused): retried first next run.
    public var owed: [MoodleCall]
    /// Assignments waiting for a first Moodle login of the parent or the pupil.
    public var waiting: [MoodleCall]
    /// Whether the parent asked about was suspended in Moodle by ldap-sync.
    public var suspended: Bool?

    /// The Moodle side of one pupil (`pupil`: its Moodle key, the UPN for `pupil_match: idnumber` or the
    /// pupil entry's `uid` for `username`).
    public static func describe(pupil: String, state: MoodleState) -> MoodleAccess {
        let key = pupil
        return MoodleAccess(
            subject: key,
            assigned: state.assigned.filter { $0.pair.pupil.caseInsensitiveCompare(key) == .orderedSame }.map(Assignment.init).sorted { $0.parent < $1.parent },
            owed: state.owed.filter { $0.pupil?.caseInsensitiveCompare(key) == .orderedSame },
            waiting: state.waiting.filter { $0.pupil?.caseInsensitiveCompare(key) == .orderedSame },
            suspended: nil)
    }

    /// The Moodle side of one parent (their username).
    public static func describe(parent: String, state: MoodleState) -> MoodleAccess {
        let key = parent.lowercased()
        return MoodleAccess(
            subject: key,
            assigned: state.assigned.filter { $0.pair.parent == key }.map(Assignment.init).sorted { $0.pupil < $1.pupil },
            owed: state.owed.filter { $0.parent == key }, waiting: state.waiting.filter { $0.parent == key },
            suspended: state.suspended.contains(key))
    }

    /// The pupil's Moodle key from its directory entry (`pupilDN`, say a parent's `misChild` value), as
    /// `pupil_match` says; nil when the entry has none.
    public static func pupilKey(pupilDN: String, connection: LDAPConnection, config: Config) async throws -> String? {
        guard let moodle = config.vle.moodle else { return nil }
        let attribute = moodle.pupilMatch == .idnumber ? config.directory.pupilMatchAttribute : "uid"
        guard let attribute else { return nil }
        let entry = try await connection.searchAll(
            SearchRequest(base: pupilDN, scope: .base, filter: .present(attribute), attributes: [attribute], pageSize: 0)).first
        return entry?.string(attribute).map { moodle.pupilMatch == .idnumber ? $0.uppercased() : $0.lowercased() }
    }

    /// Lines for `access`'s text output, under a "Moodle" heading.
    public var text: String {
        var out = "Moodle (\(subject)):\n"
        if let suspended { out += suspended ? "  suspended in Moodle by ldap-sync\n" : "  not suspended by ldap-sync\n" }
        if assigned.isEmpty { out += "  no parent-role assignment made\n" }
        for assignment in assigned {
            out += "  parent role: \(assignment.parent) (Moodle id \(assignment.parentID)) for pupil \(assignment.pupil) (Moodle id \(assignment.pupilID))\n"
        }
        for call in owed { out += "  owed (Moodle was down or refused): \(call.description)\n" }
        for call in waiting { out += "  waiting for a first Moodle login: \(call.description)\n" }
        return out
    }
}

extension MoodleAccess.Assignment {
    init(_ assigned: MoodleState.Assigned) {
        self.init(parent: assigned.pair.parent, pupil: assigned.pair.pupil, parentID: assigned.parentID, pupilID: assigned.pupilID)
    }
}

extension MoodleAccess {
    /// The Moodle side for `access --pupil REF` or `--parent NAME`; nil when `vle.moodle` is not set or
    /// the pupil has no entry the connector can key.
    public static func side(
        pupil reference: String?, parent: String?, prepared: PreparedRun, connection: LDAPConnection, config: Config
    ) async throws -> MoodleAccess? {
        guard config.vle.moodle != nil else { return nil }
        let state = try MoodleState.load(stateDirectory: config.stateDir)
        if let parent { return describe(parent: parent, state: state) }
        guard let reference, let value = prepared.sources.pupilMatchValues[reference],
            let dn = prepared.snapshot.pupilDNs[value.uppercased()],
            let key = try await pupilKey(pupilDN: dn, connection: connection, config: config)
        else { return nil }
        return describe(pupil: key, state: state)
    }

    /// `json` (an object) with this under `moodle`.
    public func merged(into json: String) throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        object["moodle"] = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(self))
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
