import Directory
import Reconcile

/// Finds managed parents by username for the commands that name one (`credentials reissue`,
/// `credentials handover`): `(&(objectClass=misParent)(uid=NAME))` under `parents_base`.
struct ParentLookup {
    let parentsBase: String

    /// The entry with `username`, with the attributes a letter and a status need; nil when there is none.
    func entry(_ username: String, on connection: LDAPConnection) async throws -> Entry? {
        let filter = Filter.and([.equal(ParentAttribute.objectClass, "misParent"), .equal(ParentAttribute.uid, username)])
        let attributes = [
            ParentAttribute.uid, ParentAttribute.givenName, ParentAttribute.sn, ParentAttribute.mail, ParentAttribute.misChildRef,
            ParentAttribute.misAccountStatus, ParentAttribute.misStatusReason, ParentAttribute.misStatusSince,
            ParentAttribute.pwdAccountLockedTime,
        ]
        let found = try await connection.searchAll(SearchRequest(base: parentsBase, filter: filter, attributes: attributes, pageSize: 0))
        return found.first
    }
}

/// A parent a credentials command cannot act on, and why: nothing is written for any of them (exit 2).
public struct CredentialsRefusal: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// One line per username: what is wrong and what to do.
    public var reasons: [String]

    public var exitStatus: ExitStatus { .inputError }
    public var description: String { reasons.joined(separator: "\n") }

    /// Why `entry` (the account `username`, nil when there is none) cannot get a password or be handed over.
    static func reason(_ username: String, _ entry: Entry?, parentsBase: String) -> String? {
        guard let entry else {
            return "\(username): no parent account with this username under \(parentsBase)"
        }
        guard entry.string(ParentAttribute.misAccountStatus)?.lowercased() == AccountStatus.disabled.rawValue else { return nil }
        let since = entry.string(ParentAttribute.misStatusSince).flatMap(GeneralizedTime.date(from:)).map { " on \(Timestamp.iso8601($0).prefix(10))" } ?? ""
        let why = entry.string(ParentAttribute.misStatusReason).map { " (\($0))" } ?? ""
        return "\(username): the account was disabled\(since)\(why): a disabled account gets no password; "
            + "the next apply enables it again, with a new letter, once the MIS gives this parent a child they may see"
    }
}
