import Directory
import Reconcile

/// Reads what the Moodle connector needs from the directory: the managed parents' `uid`, status and
/// `misChild`, and each pupil entry's Moodle key (`pupil_match`).
public struct MoodleDirectoryReader: Sendable {
    public var parentsBase: String
    public var pupilsBase: String?
    /// The pupil entry attribute holding the UPN (`directory.pupil_match_attribute`).
    public var pupilMatchAttribute: String?
    public var pupilMatch: MoodleConfig.PupilMatch
    public var pageSize = 1_000

    public init(_ config: Config, pupilMatch: MoodleConfig.PupilMatch) {
        parentsBase = config.directory.parentsBase
        pupilsBase = config.directory.pupilsBase
        pupilMatchAttribute = config.directory.pupilMatchAttribute
        self.pupilMatch = pupilMatch
    }

    /// The directory as it is now.
    public func view(_ connection: LDAPConnection) async throws -> MoodleView {
        let request = SearchRequest(
            base: parentsBase, filter: .equal("objectClass", "misParent"),
            attributes: [ParentAttribute.uid, ParentAttribute.misAccountStatus, ParentAttribute.misChild], pageSize: pageSize)
        var parents: [Entry] = []
        for try await entry in connection.search(request) { parents.append(entry) }
        return MoodleView.build(parents: parents, pupilKeys: try await pupilKeys(connection))
    }

    /// Each pupil entry's DN comparison key → the value Moodle finds the pupil by: its UPN (the
    /// `pupil_match_attribute` value, upper case) for `idnumber`, its `uid` for `username`.
    public func pupilKeys(_ connection: LDAPConnection) async throws -> [String: String] {
        guard let pupilsBase, let attribute = pupilMatch == .idnumber ? pupilMatchAttribute : "uid" else { return [:] }
        var keys: [String: String] = [:]
        let request = SearchRequest(base: pupilsBase, filter: .present(attribute), attributes: [attribute], pageSize: pageSize)
        do {
            for try await entry in connection.search(request) {
                guard let value = entry.string(attribute) else { continue }
                keys[DistinguishedName.comparisonKey(of: entry.dn)] = pupilMatch == .idnumber ? value.uppercased() : value.lowercased()
            }
        } catch let error as LDAPError where error.code == .noSuchObject {
            return [:]
        }
        return keys
    }
}
