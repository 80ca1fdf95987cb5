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

    static func key(_ dn: String) -> String {
        DistinguishedName.comparisonKey(of: dn)
    }
}
