import Foundation

/// A Moodle user as `core_user_get_users_by_field` returns it (the fields ldap-sync reads).
public struct MoodleUser: Sendable, Equatable {
    public var id: Int
    public var username: String
    public var idnumber: String
    public var suspended: Bool
}

/// `core_webservice_get_site_info`: who the token belongs to and the functions it may call.
public struct MoodleSiteInfo: Sendable, Equatable {
    public var siteName: String
    public var username: String
    public var userID: Int
    public var release: String
    public var functions: Set<String>
}

/// One role assignment in a user context, as `core_role_assign_roles` and `core_role_unassign_roles`
/// take it: the parent (`userid`) gets `roleid` in the pupil's user context (`instanceid`).
public struct MoodleRoleAssignment: Sendable, Hashable {
    public var roleID: Int
    public var userID: Int
    public var pupilID: Int
}

/// The five functions the connector uses, typed.
extension MoodleClient {
    /// The five functions, in the order the example README lists them.
    public static let functions = [
        "core_user_get_users_by_field", "core_user_update_users", "core_role_assign_roles", "core_role_unassign_roles",
        "core_webservice_get_site_info",
    ]

    /// `core_user_get_users_by_field`: the users whose `field` (`username`, `idnumber`) is one of `values`.
    public func users(where field: String, in values: [String]) async throws -> [MoodleUser] {
        var parameters: [Parameter] = [("field", field)]
        for (index, value) in values.enumerated() { parameters.append(("values[\(index)]", value)) }
        let function = "core_user_get_users_by_field"
        guard let list = try await call(function, parameters) as? [[String: Any]] else {
            throw MoodleError.badAnswer(function: function, detail: "not a list of users")
        }
        return try list.map { item in
            guard let id = Self.int(item["id"]), let username = item["username"] as? String else {
                throw MoodleError.badAnswer(function: function, detail: "a user without id or username")
            }
            return MoodleUser(
                id: id, username: username, idnumber: item["idnumber"] as? String ?? "",
                suspended: (item["suspended"] as? Bool) ?? (Self.int(item["suspended"]) == 1))
        }
    }

    /// `core_user_update_users` with `suspended` only: suspending ends the user's sessions and app tokens.
    public func setSuspended(_ changes: [(id: Int, suspended: Bool)]) async throws {
        var parameters: [Parameter] = []
        for (index, change) in changes.enumerated() {
            parameters.append(("users[\(index)][id]", String(change.id)))
            parameters.append(("users[\(index)][suspended]", change.suspended ? "1" : "0"))
        }
        _ = try await call("core_user_update_users", parameters)
    }

    /// `core_role_assign_roles` in user contexts (`contextlevel=user`, `instanceid` = the pupil).
    public func assign(_ assignments: [MoodleRoleAssignment]) async throws {
        _ = try await call("core_role_assign_roles", Self.parameters("assignments", assignments))
    }

    /// `core_role_unassign_roles` in user contexts.
    public func unassign(_ assignments: [MoodleRoleAssignment]) async throws {
        _ = try await call("core_role_unassign_roles", Self.parameters("unassignments", assignments))
    }

    /// `core_webservice_get_site_info`.
    public func siteInfo() async throws -> MoodleSiteInfo {
        let function = "core_webservice_get_site_info"
        guard let object = try await call(function) as? [String: Any], let userID = Self.int(object["userid"]) else {
            throw MoodleError.badAnswer(function: function, detail: "no userid")
        }
        let functions = (object["functions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        return MoodleSiteInfo(
            siteName: object["sitename"] as? String ?? "", username: object["username"] as? String ?? "", userID: userID,
            release: object["release"] as? String ?? "", functions: Set(functions))
    }

    static func parameters(_ name: String, _ assignments: [MoodleRoleAssignment]) -> [Parameter] {
        var parameters: [Parameter] = []
        for (index, assignment) in assignments.enumerated() {
            parameters.append(("\(name)[\(index)][roleid]", String(assignment.roleID)))
            parameters.append(("\(name)[\(index)][userid]", String(assignment.userID)))
            parameters.append(("\(name)[\(index)][contextlevel]", "user"))
            parameters.append(("\(name)[\(index)][instanceid]", String(assignment.pupilID)))
        }
        return parameters
    }

    /// Moodle sends ids as numbers, some versions and plugins as strings.
    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }
}
