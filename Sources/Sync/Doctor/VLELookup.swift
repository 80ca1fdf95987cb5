import Directory
import Foundation

/// How a VLE finds the entry to bind as, the way Moodle's auth_ldap does it (`ldap_find_userdn()`): search
/// each context with `(&OBJECTCLASS(uid=NAME))`, one level down unless `search_sub`, and bind as the DN
/// found. Doctor runs it for every name at once, with `uid=*`, which is what Moodle's sync task searches.
public struct VLELookup: Sendable, Equatable {
    /// The filter the Moodle example sets: disabled and pending parents are not found at all.
    public static let moodleExampleFilter = "(&(objectClass=misParent)(misAccountStatus=active))"

    /// Moodle's `contexts`.
    public var contexts: [String]
    /// Moodle's `objectclass`, normalised as Moodle does.
    public var objectClassFilter: String
    /// Moodle's `search_sub`.
    public var searchSubtree: Bool
    /// Moodle's `user_attribute`.
    public var userAttribute = "uid"

    /// - Parameters:
    ///   - contexts: `DN;DN` as Moodle's setting writes them.
    ///   - objectClass: as Moodle's setting holds it: empty means any entry, a bare word an object class,
    ///     anything starting with `(` a filter used as it is (lib/ldaplib.php `ldap_normalise_objectclass`).
    public init(contexts: String, objectClass: String?, searchSubtree: Bool) {
        self.contexts = contexts.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.objectClassFilter = Self.normalise(objectClass ?? Self.moodleExampleFilter)
        self.searchSubtree = searchSubtree
    }

    static func normalise(_ objectClass: String) -> String {
        let trimmed = objectClass.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "(objectClass=*)" }
        if trimmed.hasPrefix("(") { return trimmed }
        return "(objectClass=\(trimmed))"
    }

    /// The filter for one name (what Moodle sends at login).
    public func filter(for name: String) -> String {
        "(&\(objectClassFilter)(\(userAttribute)=\(Filter.escape(name))))"
    }

    /// Every entry the lookup can find, by lower-cased user name: the DNs a login with that name could bind as.
    public func findAll(_ connection: LDAPConnection) async throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        let filter = "(&\(objectClassFilter)(\(userAttribute)=*))"
        for context in contexts {
            let request = SearchRequest(
                base: context, scope: searchSubtree ? .subtree : .oneLevel, rawFilter: filter, attributes: [userAttribute])
            for try await entry in connection.search(request) {
                for name in entry.strings(userAttribute) { found[name.lowercased(), default: []].append(entry.dn) }
            }
        }
        return found
    }
}
