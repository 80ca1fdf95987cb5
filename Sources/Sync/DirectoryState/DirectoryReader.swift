import Directory
import Reconcile
import Foundation

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
    /// For `apply`: the passwordless accounts are asked for after the parents' read, as always, but not
    /// waited for; `DirectorySnapshot.readPasswordless()` collects them once the plan is made. The server
    /// answers (a scan of every parent: 0.1–0.3 s at 100,000) while the run plans, instead of before.
    public var passwordlessLater = false
    /// The copy of the last whole-tree read kept in the state folder (`EntryCacheFile`), for `readForRun`:
    /// nil reads every entry from the server every time.
    public var cache: EntryCacheSettings?
    private let counter = EntryCounter()

    public init(parentsBase: String, pupilsBase: String?, pupilMatchAttribute: String?, parentGroup: String?, usernameScope: String? = nil) {
        self.parentsBase = parentsBase
        self.usernameScope = usernameScope
        self.pupilsBase = pupilsBase
        self.pupilMatchAttribute = pupilMatchAttribute
        self.parentGroup = parentGroup
    }

    /// The parents, the pupils, the role group and the passwordless accounts; no usernames elsewhere
    /// (`takenUsernames` stays empty). For commands that never create an account.
    public func read(from connection: LDAPConnection) async throws -> DirectorySnapshot {
        counter.reset()
        defer { endProgress() }
        var found = FoundEntries()
        for try await entry in connection.search(parentsRequest) {
            tick()
            found.addParent(entry)
        }
        return try await finish(found, connection, pupilsRead: false)
    }

    /// What a run needs: `read(from:)` and every `uid` under `username_scope`.
    ///
    /// When the scope holds `parents_base` (the usual case: the scope is the whole tree), one search of the
    /// scope reads every uid, the parents and, when they lie in it too, the pupils: the server walks the
    /// tree once instead of three times. One search also keeps a run's usernames and parents consistent:
    /// an entry the server adds meanwhile is seen with both or with neither. (Read in two searches, the uids
    /// first, then the parents: a parent entry landing between them — a hung server resuming the writes of
    /// a run that gave up on it — is in the parents, or its username is still free and our create of it
    /// collides with it, a failed write matched next run; never a second account under another name.)
    public func readForRun(from connection: LDAPConnection) async throws -> DirectorySnapshot {
        counter.reset()
        defer { endProgress() }
        let bases = try await usernameBases(connection)
        guard let (tree, fold) = treeRead(bases) else {
            // The scope does not hold the parents: the uids first, then the parents (see above).
            let taken = try await readUsernames(under: bases, connection)
            var snapshot = try await read(from: connection)
            snapshot.takenUsernames = taken
            return snapshot
        }
        let otherTaken = try await readUsernames(under: bases.filter { $0 != fold }, connection)
        // The search's entries are sorted as they arrive, beside the connection's queue (which decodes the
        // next page meanwhile) and, in a run, beside the sources' reading: the planner's view of each parent
        // is made here, not after the read. With a cache, only the entries changed since are read (`readTree`).
        var (found, kind) = try await readTree(tree, connection)
        found.taken.formUnion(otherTaken)
        var snapshot = try await finish(found, connection, pupilsRead: tree.withPupils)
        snapshot.readKind = kind
        return snapshot
    }

    /// Writes the cache (`cache`) anew from a read of the whole tree, holding nothing of it but the page in
    /// hand: after a run that wrote much (a first apply), so that the next run reads only what changes after.
    /// Nothing when there is no cache, or `readForRun` makes no whole-tree search.
    public func refreshCache(from connection: LDAPConnection) async throws {
        guard let cache, cache.writes, let (tree, _) = treeRead(try await usernameBases(connection)) else { return }
        let writer = try EntryCacheWriter(path: cache.path, key: tree.cacheKey(cache))
        var request = tree.request
        request.attributes.append("entryCSN")
        for try await read in connection.search(request) {
            let (entry, version) = EntryVersion.split(read)
            guard let version else {
                writer.discard()
                return
            }
            writer.append(dn: entry.dn, version: version, attributes: entry.encodedAttributes)
        }
        try writer.finish()
    }

    /// The one search of the username scope `readForRun` makes, and the scope's base; nil when no base of
    /// the scope holds `parents_base`.
    private func treeRead(_ bases: [String]) -> (TreeRead, String)? {
        let parentsTree = try? Subtree(parsing: parentsBase)
        let pupilsTree = pupilsBase.flatMap { try? Subtree(parsing: $0) }
        let scopes = bases.compactMap { base in (try? Subtree(parsing: base)).map { (text: base, tree: $0) } }
        guard let parentsTree, let fold = scopes.first(where: { parentsTree.base.isWithin($0.tree.base) }) else { return nil }
        let match = pupilMatchAttribute
        let withPupils = match != nil && pupilsTree?.base.isWithin(fold.tree.base) == true
        var attributes = Self.parentAttributes
        var filter = Filter.present("uid")
        if withPupils, let match {
            filter = .or([.present("uid"), .present(match)])
            if !attributes.contains(where: { $0.lowercased() == match.lowercased() }) { attributes.append(match) }
        }
        let request = SearchRequest(base: fold.text, filter: filter, attributes: attributes, pageSize: pageSize)
        return (TreeRead(request: request, parentsTree: parentsTree, pupilsTree: pupilsTree, withPupils: withPupils, match: match), fold.text)
    }

    /// The entry with only the attributes the parents read asks for (the whole-tree read asks for the
    /// pupils' match attribute too).
    static func parentAttributesOnly(_ entry: Entry) -> Entry {
        entry.keepingAttributes { parentAttributeNames.contains($0.name) }
    }

    private static let parentAttributeNames = AttributeNames(parentAttributes)

    private var parentsRequest: SearchRequest {
        SearchRequest(base: parentsBase, scope: .subtree, filter: .present("uid"), attributes: Self.parentAttributes, pageSize: pageSize)
    }

    /// The pupils (unless read already), the role group and the passwordless accounts.
    private func finish(_ found: FoundEntries, _ connection: LDAPConnection, pupilsRead: Bool) async throws -> DirectorySnapshot {
        var snapshot = DirectorySnapshot(
            parents: found.managed.finish(), unmanagedUsernames: found.unmanaged,
            pupilDNs: pupilsRead ? found.pupils : try await readPupils(connection), roleGroup: try await readGroup(connection))
        snapshot.taken = found.taken
        if passwordlessLater {
            snapshot.passwordlessRead = connection.startSearch(passwordlessRequest)
        } else {
            snapshot.passwordlessDNs = try await readPasswordless(connection)
        }
        return snapshot
    }

    /// Managed entries with no `userPassword`: only their DNs.
    private var passwordlessRequest: SearchRequest {
        let filter = Filter.and([.equal("objectClass", "misParent"), .not(.present("userPassword"))])
        return SearchRequest(base: parentsBase, filter: filter, attributes: ["1.1"], pageSize: pageSize)
    }

    private func readPasswordless(_ connection: LDAPConnection) async throws -> Set<String> {
        let request = passwordlessRequest
        var found = Set<String>()
        for try await entry in connection.search(request) {
            tick()
            found.insert(entry.dn)
        }
        return found
    }

    /// Every `uid` under `username_scope`, lower case.
    public func readTakenUsernames(_ connection: LDAPConnection) async throws -> Set<String> {
        try await readUsernames(under: try await usernameBases(connection), connection)
    }

    /// `username_scope`, or the server's naming contexts.
    private func usernameBases(_ connection: LDAPConnection) async throws -> [String] {
        if let usernameScope { return [usernameScope] }
        let rootDSE = try await connection.searchAll(
            SearchRequest(base: "", scope: .base, filter: .present("objectClass"), attributes: ["namingContexts"], pageSize: 0))
        let bases = rootDSE.first?.strings("namingContexts") ?? []
        return bases.isEmpty ? [parentsBase] : bases
    }

    private func readUsernames(under bases: [String], _ connection: LDAPConnection) async throws -> Set<String> {
        var taken = Set<String>()
        for base in bases {
            let request = SearchRequest(base: base, filter: .present("uid"), attributes: ["uid"], pageSize: pageSize)
            for try await entry in connection.search(request) {
                tick()
                entry.withValues(of: "uid") { uids in
                    for uid in uids { taken.insert(FoundEntries.lowercased(uid)) }
                }
            }
        }
        return taken
    }

    private func readPupils(_ connection: LDAPConnection) async throws -> [String: String] {
        guard let pupilsBase, let pupilMatchAttribute else { return [:] }
        var found = FoundEntries()
        let request = SearchRequest(base: pupilsBase, filter: .present(pupilMatchAttribute), attributes: [pupilMatchAttribute], pageSize: pageSize)
        for try await entry in connection.search(request) {
            tick()
            found.addPupil(entry, match: pupilMatchAttribute)
        }
        return found.pupils
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

    private func endProgress() {
        progress?.update(.directory, done: counter.value, total: nil)
        progress?.end(.directory)
    }

    /// Counts an entry read; tells the progress line every 256.
    func tick() {
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
