import Directory
import Foundation

/// What the directory holds that a run needs, read with paged searches before anything is planned.
public struct DirectorySnapshot: Sendable {
    /// Entries under `parents_base` that carry `misParent`: the only entries ldap-sync may change.
    public var managedParents: [Entry]
    /// Entries under `parents_base` without `misParent`: never touched, but their `uid`s are taken.
    public var unmanagedUsernames: Set<String>
    /// Pupil entries by the value of `pupil_match_attribute` (the UPN, say) → their DN.
    public var pupilDNs: [String: String]
    /// The role group, when configured: whether it exists and its `member` values.
    public var roleGroup: RoleGroupState?
    /// Every `uid` under `username_scope` (staff and pupils too), lower case: a new username must be none
    /// of these. Read only when someone needs a new username (`DirectoryReader.readTakenUsernames`);
    /// empty otherwise.
    public var takenUsernames: Set<String> = []
    /// Managed entries with no `userPassword` at all: an earlier run stopped between adding an account
    /// and setting its first password. Apply gives them one, so no account is left that nobody can use.
    public var passwordlessDNs: Set<String> = []

    public struct RoleGroupState: Sendable, Equatable {
        public var dn: String
        public var exists: Bool
        public var members: [String]
    }
}

/// Reads a `DirectorySnapshot`.
public struct DirectoryReader: Sendable {
    /// Every attribute the sync owns on a parent entry, and the lock, read back to diff against.
    public static let parentAttributes = [
        "objectClass", "uid", "cn", "sn", "givenName", "displayName", "mail", "mobile", "misParentId",
        "misContactRef", "misChildRef", "misChild", "misRole", "misAccountStatus", "misStatusReason",
        "misStatusSince", "pwdAccountLockedTime",
    ]

    public var parentsBase: String
    public var pupilsBase: String?
    public var pupilMatchAttribute: String?
    public var parentGroup: String?
    /// Where a new username must be unique; nil means the directory's naming context(s).
    public var usernameScope: String?
    /// Entries per page: large pages mean fewer round trips; slapd caps them with `size.pr` if it must.
    public var pageSize = 1_000
    /// Told of the entries read so far (every few hundred), for the progress line.
    public var progress: (any RunProgress)?
    private let counter = EntryCounter()

    public init(parentsBase: String, pupilsBase: String?, pupilMatchAttribute: String?, parentGroup: String?, usernameScope: String? = nil) {
        self.parentsBase = parentsBase
        self.usernameScope = usernameScope
        self.pupilsBase = pupilsBase
        self.pupilMatchAttribute = pupilMatchAttribute
        self.parentGroup = parentGroup
    }

    public func read(from connection: LDAPConnection) async throws -> DirectorySnapshot {
        counter.reset()
        defer {
            progress?.update(.directory, done: counter.value, total: nil)
            progress?.end(.directory)
        }
        var managed: [Entry] = []
        var unmanaged = Set<String>()
        let parents = SearchRequest(base: parentsBase, scope: .subtree, filter: .present("uid"), attributes: Self.parentAttributes, pageSize: pageSize)
        for try await entry in connection.search(parents) {
            tick()
            if entry.strings("objectClass").contains(where: { $0.lowercased() == "misparent" }) {
                managed.append(entry)
            } else {
                unmanaged.formUnion(entry.strings("uid").map { $0.lowercased() })
            }
        }
        var snapshot = DirectorySnapshot(
            managedParents: managed, unmanagedUsernames: unmanaged,
            pupilDNs: try await readPupils(connection), roleGroup: try await readGroup(connection))
        snapshot.passwordlessDNs = try await readPasswordless(connection)
        return snapshot
    }

    private func readPasswordless(_ connection: LDAPConnection) async throws -> Set<String> {
        let filter = Filter.and([.equal("objectClass", "misParent"), .not(.present("userPassword"))])
        let request = SearchRequest(base: parentsBase, filter: filter, attributes: ["1.1"], pageSize: pageSize)
        var found = Set<String>()
        for try await entry in connection.search(request) {
            tick()
            found.insert(entry.dn)
        }
        return found
    }

    /// Every `uid` under `username_scope`, lower case.
    public func readTakenUsernames(_ connection: LDAPConnection) async throws -> Set<String> {
        var bases: [String]
        if let usernameScope {
            bases = [usernameScope]
        } else {
            let rootDSE = try await connection.searchAll(
                SearchRequest(base: "", scope: .base, filter: .present("objectClass"), attributes: ["namingContexts"], pageSize: 0))
            bases = rootDSE.first?.strings("namingContexts") ?? []
            if bases.isEmpty { bases = [parentsBase] }
        }
        var taken = Set<String>()
        for base in bases {
            let request = SearchRequest(base: base, filter: .present("uid"), attributes: ["uid"], pageSize: pageSize)
            for try await entry in connection.search(request) {
                tick()
                taken.formUnion(entry.strings("uid").map { $0.lowercased() })
            }
        }
        return taken
    }

    private func readPupils(_ connection: LDAPConnection) async throws -> [String: String] {
        guard let pupilsBase, let pupilMatchAttribute else { return [:] }
        var index: [String: String] = [:]
        let request = SearchRequest(base: pupilsBase, filter: .present(pupilMatchAttribute), attributes: [pupilMatchAttribute], pageSize: pageSize)
        for try await entry in connection.search(request) {
            tick()
            for value in entry.strings(pupilMatchAttribute) { index[value.uppercased()] = entry.dn }
        }
        return index
    }

    private func readGroup(_ connection: LDAPConnection) async throws -> DirectorySnapshot.RoleGroupState? {
        guard let parentGroup else { return nil }
        do {
            let entry = try await connection.searchAll(
                SearchRequest(base: parentGroup, scope: .base, filter: .present("objectClass"), attributes: ["member"], pageSize: 0)
            ).first
            return .init(dn: parentGroup, exists: entry != nil, members: entry?.strings("member") ?? [])
        } catch let error as LDAPError where error.code == .noSuchObject {
            return .init(dn: parentGroup, exists: false, members: [])
        }
    }

    /// Counts an entry read; tells the progress line every 256.
    private func tick() {
        guard let progress else { return }
        let count = counter.increment()
        if count % 256 == 0 { progress.update(.directory, done: count, total: nil) }
    }
}

/// The entries a reader has read in this run (the reader is a value shared with its searches).
private final class EntryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func reset() {
        lock.lock()
        count = 0
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
