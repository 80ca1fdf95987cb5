import Directory
import Reconcile

/// The role group's `member` writes, split so that revocations land with the first phase.
///
/// A `groupOfNames` must keep at least one `member`, so a write that would leave it empty also adds the
/// group's own DN as a placeholder (the planner's convention), and a later write that brings real members
/// removes the placeholder again.
struct GroupWrites {
    let dn: String
    private(set) var members: [String: String]  // comparison key → stored value

    init(dn: String, currentMembers: some Sequence<String>) {
        self.dn = dn
        members = Dictionary(currentMembers.map { (Self.key($0), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A modify that deletes `leaving` and adds `joining` (values not already in the wanted state are
    /// skipped), keeping the group non-empty. Nil when nothing changes. Updates the member set it assumes.
    mutating func modify(deleting leaving: [String], adding joining: [String]) -> ModifyRequest? {
        var additions: [String] = []
        var deletions: [String] = []
        for member in joining where members[Self.key(member)] == nil {
            members[Self.key(member)] = member
            additions.append(member)
        }
        for member in leaving {
            if let stored = members.removeValue(forKey: Self.key(member)) { deletions.append(stored) }
        }
        let placeholder = Self.key(dn)
        if members.isEmpty {
            members[placeholder] = dn
            additions.append(dn)
        } else if members.count > 1, let stored = members[placeholder], !additions.contains(dn) {
            members.removeValue(forKey: placeholder)
            deletions.append(stored)
        }
        guard !additions.isEmpty || !deletions.isEmpty else { return nil }
        // Adds first: the server checks "at least one member" on the result, but some servers check each
        // step, and adding before deleting never passes through empty.
        return ModifyRequest(dn: dn, modifications:
            (additions.isEmpty ? [] : [Modification(.add, "member", additions)])
            + (deletions.isEmpty ? [] : [Modification(.delete, "member", deletions)]))
    }

    /// `DistinguishedName.comparisonKey(of:)`, without parsing the DNs that need none: an ASCII DN of plain
    /// `type=value` parts (no spaces, no escapes, no characters an RDN value would escape) folds to its own
    /// lower-case text, which is also what a DN that does not parse compares by. A first run asks this a
    /// few times for each of its accounts (GroupWritesTests checks the two agree).
    static func key(_ dn: String) -> String {
        plainKey(dn) ?? DistinguishedName.comparisonKey(of: dn)
    }

    static func plainKey(_ dn: String) -> String? {
        var equals = 0
        var partLength = 0
        var typeLength = 0
        for byte in dn.utf8 {
            switch byte {
            case UInt8(ascii: ","):
                guard equals == 1, typeLength > 0, partLength > typeLength + 1 else { return nil }
                equals = 0
                partLength = 0
                continue
            case UInt8(ascii: "="):
                equals += 1
                typeLength = partLength
            case 0x00...0x20, 0x7F...0xFF, UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"):
                return nil
            default:
                break
            }
            partLength += 1
        }
        guard equals == 1, typeLength > 0, partLength > typeLength + 1 else { return nil }
        return dn.lowercased()
    }
}
