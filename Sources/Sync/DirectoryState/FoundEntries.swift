import Directory

/// The entries of a read, sorted as they arrive.
struct FoundEntries {
    /// The managed entries, each kept as the planner's view of it and its shape (`ParentEntries`).
    var managed = ParentEntries.Builder()
    var unmanaged = Set<String>()
    var pupils: [String: String] = [:]
    var taken = TakenUsernames()

    /// An entry under `parents_base` with a `uid`: managed when it carries `misParent`.
    mutating func addParent(_ entry: Entry) {
        if entry.contains("objectClass", caseInsensitiveValue: "misParent") {
            managed.append(entry)
        } else {
            entry.withValues(of: "uid") { uids in
                for uid in uids { unmanaged.insert(Self.lowercased(uid)) }
            }
        }
    }

    /// Adds the entry's uids to `taken`; whether it has any.
    mutating func takeUsernames(of entry: Entry) -> Bool {
        entry.withValues(of: "uid") { uids in
            for uid in uids { taken.insert(uid) }
            return !uids.isEmpty
        } ?? false
    }

    mutating func addPupil(_ entry: Entry, match: String) {
        for value in entry.strings(match) { pupils[value.uppercased()] = entry.dn }
    }

    /// An entry of the whole-tree read (`DirectoryReader.readForRun`): its uids taken; a parent when it has
    /// a uid and lies under `parents_base` (`inParents`), with only the parents' attributes when the read
    /// asked for the pupils' `match` attribute too; a pupil when it lies under `pupils_base` (`inPupils`).
    /// The general form of `add(_:inParents:inPupils:names:)`.
    mutating func addFromTree(_ entry: Entry, inParents: Bool, inPupils: Bool, match: String?) {
        let hasUID = takeUsernames(of: entry)
        if hasUID, inParents {
            addParent(match != nil ? DirectoryReader.parentAttributesOnly(entry) : entry)
        }
        if let match, inPupils { addPupil(entry, match: match) }
    }

    /// `addFromTree(entry, inParents:, inPupils:, match: names.match)` in one pass over the entry's
    /// attributes, their names found through `names` (a tree's entries carry the same few names).
    mutating func add(_ entry: Entry, inParents: Bool, inPupils: Bool, names: inout TreeNames) {
        var uidSeen = false
        var hasUID = false
        var objectClassSeen = false
        var isManaged = false
        var matchSeen = !inPupils
        var onlyParentAttributes = true
        entry.forEachAttribute { attribute in
            let found = names.lookup.find(attribute.name)
            guard let index = found.index else {
                onlyParentAttributes = false
                return
            }
            if index >= TreeNames.parentCount { onlyParentAttributes = false }
            // The first attribute of a name counts (as `Entry.withValues(of:)` reads it).
            if index == TreeNames.uid, !uidSeen {
                uidSeen = true
                hasUID = !attribute.values.isEmpty
                for uid in attribute.values { taken.insert(uid) }
            }
            if index == TreeNames.objectClass, !objectClassSeen {
                objectClassSeen = true
                isManaged = attribute.values.contains { TreeNames.misParent.contains($0) }
            }
            if index == names.matchIndex, !matchSeen {
                matchSeen = true
                for value in attribute.values { pupils[Self.string(value).uppercased()] = entry.dn }
            }
        }
        guard hasUID, inParents else { return }
        if isManaged {
            managed.append(names.match != nil && !onlyParentAttributes ? DirectoryReader.parentAttributesOnly(entry) : entry)
        } else {
            addParent(entry)
        }
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count), as: UTF8.self)
    }

    /// A value's text in lower case, as `String.lowercased()` gives it; ASCII (nearly every uid) without
    /// making the String twice.
    static func lowercased(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return string(bytes).lowercased()
        }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }
}

/// The names the whole-tree read looks for in each entry, found through one `AttributeNameLookup`: the
/// parents' attributes, then the pupils' match attribute.
struct TreeNames {
    /// Positions in the list: `DirectoryReader.parentAttributes` first.
    static let objectClass = DirectoryReader.parentAttributes.firstIndex(of: "objectClass")!
    static let uid = DirectoryReader.parentAttributes.firstIndex(of: "uid")!
    static let parentCount = DirectoryReader.parentAttributes.count
    static let misParent = AttributeNames(["misParent"])

    /// The pupils' match attribute, when the read asks for it.
    let match: String?
    /// Its position in the list (that of the parents' attribute of its name, if one is); -1 without one.
    let matchIndex: Int
    var lookup: AttributeNameLookup

    init(match: String?) {
        self.match = match
        let names = AttributeNames(DirectoryReader.parentAttributes + (match.map { [$0] } ?? []))
        lookup = AttributeNameLookup(names)
        matchIndex = match.flatMap { match in Array(match.utf8).withUnsafeBytes { names.index(of: $0) } } ?? -1
    }
}
