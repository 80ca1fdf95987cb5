import Directory
import Foundation

extension DirectoryReader {
    /// The whole-tree search of `readForRun` and where its entries go.
    struct TreeRead {
        var request: SearchRequest
        var parentsTree: Subtree
        var pupilsTree: Subtree?
        var withPupils: Bool
        var match: String?

        /// Sorts an entry of the tree into `found` (`FoundEntries.add`).
        func add(_ entry: Entry, to found: inout FoundEntries, names: inout TreeNames) {
            let inPupils = withPupils && pupilsTree?.contains(entry.dn) == true
            found.add(entry, inParents: parentsTree.contains(entry.dn), inPupils: inPupils, names: &names)
        }

        /// What a cache of this read was written for: the same search by the same reader.
        func cacheKey(_ settings: EntryCacheSettings) -> [UInt8] {
            Array([request.base, "\(request.scope.rawValue)", request.filter, request.attributes.joined(separator: ","), settings.reader]
                .joined(separator: "\n").utf8)
        }
    }

    /// The tree's entries: those unchanged since the last run from the cache, the rest from the server
    /// (`readChangedEntries`); every entry from the server when there is no usable cache. With `cache.writes`,
    /// the cache is written anew whenever it no longer matches the directory.
    func readTree(_ tree: TreeRead, _ connection: LDAPConnection) async throws -> (FoundEntries, DirectoryReadKind?) {
        guard let cache else { return (try await readWholeTree(tree, connection, writer: nil), nil) }
        let key = tree.cacheKey(cache)
        var reason = "no cache of this read in the state folder yet"
        if let cached = EntryCacheReader(path: cache.path, key: key) {
            switch try await readChangedEntries(tree, connection, cached, rewrite: cache.writes ? (cache.path, key) : nil) {
            case .read(let found, let kind):
                // What the listing and the cache left freed goes back before resolution's peak.
                FreePages.release()
                return (found, kind)
            case .wholeReadNeeded(let why):
                reason = why
            }
        }
        let writer = cache.writes ? try? EntryCacheWriter(path: cache.path, key: key) : nil
        return (try await readWholeTree(tree, connection, writer: writer), .whole(reason))
    }

    /// Every entry of the tree from the server; each also written to `writer` with its version, when the
    /// server gives every entry one (else the writer is given up: no cache, every run reads the whole tree).
    func readWholeTree(_ tree: TreeRead, _ connection: LDAPConnection, writer: EntryCacheWriter?) async throws -> FoundEntries {
        var found = FoundEntries()
        var names = TreeNames(match: tree.withPupils ? tree.match : nil)
        var request = tree.request
        var writer = writer
        let asksForCSN = writer != nil
        if asksForCSN { request.attributes.append("entryCSN") }
        for try await read in connection.search(request) {
            tick()
            // Without `entryCSN` in every case, even once the writer is given up (an entry the bind DN may
            // not read it on): the entries are those of a read that did not ask for it, to the byte.
            guard asksForCSN else {
                tree.add(read, to: &found, names: &names)
                continue
            }
            let (entry, version) = EntryVersion.split(read)
            if let cacheWriter = writer {
                if let version {
                    cacheWriter.append(dn: entry.dn, version: version, attributes: entry.encodedAttributes)
                } else {
                    cacheWriter.discard()
                    writer = nil
                }
            }
            tree.add(entry, to: &found, names: &names)
        }
        // A cache that cannot be written costs the next run a whole read, nothing more: the run goes on.
        try? writer?.finish()
        return found
    }

    /// The tree read through the cache: a listing of every entry's DN and version (a tenth of the bytes of
    /// the entries), the entries whose version matches their copy taken from the cache, the others (changed,
    /// new) read from the server; those the listing no longer has are gone. `wholeReadNeeded` when the cache
    /// cannot be used (damaged, or a listed entry without a version) or would save little (more than an
    /// eighth of the entries changed): the caller reads the whole tree.
    ///
    /// The result is what `readWholeTree` would have found at the moment of the listing, but for the changed
    /// entries, which are as read after it; they are sorted into `found` after the others.
    func readChangedEntries(
        _ tree: TreeRead, _ connection: LDAPConnection, _ cache: EntryCacheReader, rewrite: (path: String, key: [UInt8])?
    ) async throws -> ChangesRead {
        var found = FoundEntries()
        var names = TreeNames(match: tree.withPupils ? tree.match : nil)
        var listing = tree.request
        listing.attributes = EntryVersion.attributes
        // The listing's entries in order: a record of the cache (its index), or a changed one (-1 - its index).
        var order: [Int32] = []
        order.reserveCapacity(cache.count)
        var changed: [ChangedEntry] = []
        var current = cache.next()
        var index = 0
        // Records the cursor moved past unmatched: entries gone (or, rarely, listed out of order).
        var passed = 0
        // The entry handed on is made over this one buffer, used again for each (the entry is not kept:
        // `FoundEntries` keeps the planner's view of it): no allocation an entry for what the cache gives.
        var attributes: [UInt8] = []
        for try await entry in connection.search(listing) {
            tick()
            guard let version = EntryVersion.of(entry) else {
                cache.readToEnd()
                return .wholeReadNeeded("\(entry.dn) has no entryCSN")
            }
            var dn = entry.dn
            // The cache is in the order of the last read, which the server keeps (back-mdb: entry ids): its
            // cursor only moves on, and the DN listed is nearly always the record under it. A record passed
            // over is an entry gone (or, if the server's order changed, one that is read again below).
            let copied = dn.withUTF8 { bytes -> (copied: Bool, csnChanged: Bool) in
                let dnBytes = UnsafeRawBufferPointer(bytes)
                if current.map({ !$0.dn.elementsEqual(dnBytes) }) ?? true {
                    guard cache.contains(dnHash: EntryCacheHash.of(dnBytes)) else { return (false, true) }
                    while let record = current, !record.dn.elementsEqual(dnBytes) {
                        current = cache.next()
                        index += 1
                        passed += 1
                    }
                }
                guard let record = current else { return (false, true) }
                defer {
                    current = cache.next()
                    index += 1
                }
                guard record.version.elementsEqual(version) else { return (false, !EntryVersion.sameCSN(record.version, version)) }
                order.append(Int32(index))
                attributes.removeAll(keepingCapacity: true)
                attributes.append(contentsOf: record.attributes)
                return (true, false)
            }
            if copied.copied {
                tree.add(Entry(dn: entry.dn, encodedAttributes: attributes), to: &found, names: &names)
            } else {
                order.append(-1 - Int32(changed.count))
                changed.append(ChangedEntry(dn: entry.dn, version: version, csnChanged: copied.csnChanged))
            }
        }
        let gone = passed + max(0, cache.count - index)
        cache.readToEnd()
        guard cache.isIntact else { return .wholeReadNeeded("the cache in the state folder is damaged") }
        guard changed.count <= max(64, order.count / 8) else {
            return .wholeReadNeeded("\(changed.count) of \(order.count) entries changed since the cache was written")
        }
        let fetched = try await fetch(changed, tree, connection)
        for case let entry? in fetched { tree.add(entry.entry, to: &found, names: &names) }
        if let rewrite, gone > 0 || !changed.isEmpty {
            // As `readWholeTree`: a cache that cannot be written costs the next run a whole read.
            try? Self.rewriteCache(rewrite, order: order, fetched: fetched)
        }
        let unchanged = order.count - changed.count
        return .read(found, .incremental(unchanged: unchanged, changed: changed.count, gone: gone))
    }

    /// What `readChangedEntries` found: the tree, or why it must be read whole.
    enum ChangesRead {
        case read(FoundEntries, DirectoryReadKind)
        case wholeReadNeeded(String)
    }

    /// An entry of the listing whose copy in the cache is missing or out of date.
    struct ChangedEntry {
        var dn: String
        var version: [UInt8]
        /// False when only its lock differs from the cache's copy (ppolicy's own write).
        var csnChanged: Bool
    }

    /// The changed entries as the server has them now (without `entryCSN`), with their versions; nil for one
    /// no longer there (or no longer in the tree's filter). One search finds every entry written since the
    /// oldest change (`entryCSN>=`); each entry it does not return is then read by its DN.
    private func fetch(
        _ changed: [ChangedEntry], _ tree: TreeRead, _ connection: LDAPConnection
    ) async throws -> [(entry: Entry, version: [UInt8])?] {
        var fetched = [(entry: Entry, version: [UInt8])?](repeating: nil, count: changed.count)
        guard !changed.isEmpty else { return fetched }
        var attributes = tree.request.attributes
        attributes.append("entryCSN")
        let positions = Dictionary(changed.enumerated().map { ($1.dn, $0) }, uniquingKeysWith: { first, _ in first })
        let keep = { (read: Entry) in
            guard let position = positions[read.dn], fetched[position] == nil else { return }
            let (entry, version) = EntryVersion.split(read)
            if let version { fetched[position] = (entry, version) }
        }
        if let oldest = changed.filter(\.csnChanged).map({ EntryVersion.csn($0.version) }).min() {
            let since = "(&\(tree.request.filter)\(Filter.greaterOrEqual("entryCSN", oldest)))"
            let request = SearchRequest(base: tree.request.base, scope: tree.request.scope, rawFilter: since, attributes: attributes, pageSize: pageSize)
            for try await entry in connection.search(request) { keep(entry) }
        }
        for position in changed.indices where fetched[position] == nil {
            let request = SearchRequest(base: changed[position].dn, scope: .base, rawFilter: tree.request.filter, attributes: attributes, pageSize: 0)
            do {
                for entry in try await connection.searchAll(request) { keep(entry) }
            } catch let error as LDAPError where error.code == .noSuchObject {
                continue
            }
        }
        return fetched
    }

    /// The cache written anew in the listing's order: the unchanged records copied from the old file (read
    /// a second time, as it was never held whole), the changed entries as fetched, the gone ones left out.
    private static func rewriteCache(
        _ file: (path: String, key: [UInt8]), order: [Int32], fetched: [(entry: Entry, version: [UInt8])?]
    ) throws {
        guard let old = EntryCacheReader(path: file.path, key: file.key) else { return }
        let writer = try EntryCacheWriter(path: file.path, key: file.key)
        var index = -1
        var record: EntryCacheReader.Record?
        for position in order {
            if position < 0 {
                guard let changed = fetched[Int(-1 - position)] else { continue }
                writer.append(dn: changed.entry.dn, version: changed.version, attributes: changed.entry.encodedAttributes)
                continue
            }
            while index < Int(position) {
                record = old.next()
                index += 1
            }
            guard let record else {
                writer.discard()
                return
            }
            writer.append(record)
        }
        old.readToEnd()
        guard old.isIntact else {
            writer.discard()
            return
        }
        try writer.finish()
    }
}
