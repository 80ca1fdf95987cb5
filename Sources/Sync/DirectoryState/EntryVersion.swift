import Directory

/// What an entry's copy in the cache is checked against: its `entryCSN`, which OpenLDAP changes with every
/// write to the entry (an add, a modify, a rename, a replicated change alike), and its `pwdAccountLockedTime`,
/// which ppolicy sets and clears itself on binds (failed ones lock an account; whether those writes change
/// `entryCSN` depends on the overlay's settings, so the lock is compared on its own). The bytes: the CSN,
/// then each lock value after a NUL.
enum EntryVersion {
    /// What the listing of a tree asks for: every entry's version and nothing else.
    static let attributes = ["entryCSN", "pwdAccountLockedTime"]
    private static let csnName = AttributeNames(["entryCSN"])
    private static let lockName = AttributeNames(["pwdAccountLockedTime"])

    /// The entry's version; nil when it has no `entryCSN` (not OpenLDAP, or the bind DN may not read it).
    static func of(_ entry: Entry) -> [UInt8]? {
        var csn: [UInt8]?
        var locks: [UInt8] = []
        var lockSeen = false
        entry.forEachAttribute { attribute in
            if csn == nil, csnName.contains(attribute.name) {
                csn = attribute.values.first.map { Array($0) }
            } else if !lockSeen, lockName.contains(attribute.name) {
                // The first attribute of a name counts, as `Entry.withValues(of:)` reads it.
                lockSeen = true
                for value in attribute.values {
                    locks.append(0)
                    locks += value
                }
            }
        }
        guard let csn, !csn.isEmpty, !csn.contains(0) else { return nil }
        return csn + locks
    }

    /// The `entryCSN` of a version.
    static func csn(_ version: [UInt8]) -> String {
        String(decoding: csnBytes(version), as: UTF8.self)
    }

    /// Whether two versions have the same `entryCSN` (whatever their locks).
    static func sameCSN(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        csnBytes(a).elementsEqual(csnBytes(b))
    }

    private static func csnBytes<Bytes: Collection<UInt8>>(_ version: Bytes) -> Bytes.SubSequence {
        version.prefix { $0 != 0 }
    }

    /// The entry without `entryCSN`: as a read that did not ask for it gives it.
    static func withoutCSN(_ entry: Entry) -> Entry {
        entry.keepingAttributes { !csnName.contains($0.name) }
    }

    /// An entry of a read that asked for `entryCSN`: as a read that did not ask for it gives it, and its
    /// version (nil without one).
    static func split(_ read: Entry) -> (entry: Entry, version: [UInt8]?) {
        (withoutCSN(read), of(read))
    }
}
