import Directory
import Reconcile

/// What the directory holds that a run needs, read with paged searches before anything is planned.
public struct DirectorySnapshot: Sendable {
    /// Entries under `parents_base` that carry `misParent`: the only entries ldap-sync may change. Each is
    /// made anew from `parents` when asked for: a run reads through `parents` the few it needs.
    public var managedParents: [Entry] {
        get { parents.entries }
        set { parents = ParentEntries(newValue) }
    }
    /// The managed entries as kept: the planner's view of each, made by the reader while the search was
    /// still arriving, and what makes each entry again as read (see `ParentEntries`).
    public internal(set) var parents: ParentEntries
    /// The planner's view of `managedParents`, entry by entry.
    public var currentParents: [CurrentParent] { parents.current }
    /// Entries under `parents_base` without `misParent`: never touched, but their `uid`s are taken.
    public var unmanagedUsernames: Set<String>
    /// Pupil entries by the value of `pupil_match_attribute` (the UPN, say) → their DN.
    public var pupilDNs: [String: String]
    /// The role group, when configured: whether it exists and its `member` values.
    public var roleGroup: RoleGroupState?
    /// Every `uid` under `username_scope` (staff and pupils too), lower case: a new username must be none
    /// of these. Read by `DirectoryReader.readForRun` (empty after `read`); made each time it is asked for,
    /// from the uids as read (`TakenUsernames`): ask once.
    public var takenUsernames: Set<String> {
        get { taken.set }
        set { taken = TakenUsernames(newValue) }
    }
    /// The uids as read.
    var taken = TakenUsernames()
    /// Managed entries with no `userPassword` at all: an earlier run stopped between adding an account
    /// and setting its first password. Apply gives them one, so no account is left that nobody can use.
    public var passwordlessDNs: Set<String> = []
    /// The search for `passwordlessDNs` when the reader left it to be read later
    /// (`DirectoryReader.passwordlessLater`); nil once read, or when read with the rest.
    public var passwordlessRead: StartedSearch?
    /// How the tree was read (through the cache in the state folder, or whole and why); nil when the run
    /// keeps no cache (`directory.incremental_read: false`, or a command that reads otherwise).
    public var readKind: DirectoryReadKind?

    /// Reads into `passwordlessDNs` what the search left for later found; nothing when there is none.
    public mutating func readPasswordless() async throws {
        guard let search = passwordlessRead else { return }
        passwordlessRead = nil
        passwordlessDNs = Set(try await search.entries().map(\.dn))
    }

    /// A snapshot of `managedParents` and the rest as given.
    public init(
        managedParents: [Entry], unmanagedUsernames: Set<String>, pupilDNs: [String: String], roleGroup: RoleGroupState?
    ) {
        self.init(parents: ParentEntries(managedParents), unmanagedUsernames: unmanagedUsernames, pupilDNs: pupilDNs, roleGroup: roleGroup)
    }

    init(parents: ParentEntries, unmanagedUsernames: Set<String>, pupilDNs: [String: String], roleGroup: RoleGroupState?) {
        self.parents = parents
        self.unmanagedUsernames = unmanagedUsernames
        self.pupilDNs = pupilDNs
        self.roleGroup = roleGroup
    }

    public struct RoleGroupState: Sendable, Equatable {
        public var dn: String
        public var exists: Bool
        public var members: [String]
    }
}
