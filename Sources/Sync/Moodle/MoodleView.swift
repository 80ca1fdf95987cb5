import Directory
import Reconcile

/// The Moodle side of what the directory says: which parents are disabled, and which pupils each
/// parent may see, the pupils named as Moodle finds them (`pupil_match`: the UPN as `idnumber`, or
/// the pupil entry's `uid` as `username`). Built from the directory after a run (what Moodle must
/// follow), or from the directory before a run with the plan's changes laid over it (what `plan` shows).
public struct MoodleView: Sendable, Equatable {
    /// One managed parent entry.
    public struct Parent: Sendable, Equatable {
        /// The entry's `uid`, lower case: the Moodle username (auth_ldap's `user_attribute`).
        public var username: String
        /// `misAccountStatus: disabled`: suspended in Moodle.
        public var disabled: Bool
        /// The Moodle keys of the pupils the entry's `misChild` values name.
        public var pupils: Set<String>
    }

    public var parents: [Parent]

    public init(parents: [Parent]) {
        self.parents = parents
    }

    /// Every (parent, pupil) pair the directory grants.
    public var pairs: Set<MoodlePair> {
        Set(parents.flatMap { parent in parent.pupils.map { MoodlePair(parent: parent.username, pupil: $0) } })
    }

    /// The view of managed parent entries. `pupilKeys`: a pupil entry's DN comparison key → its Moodle key;
    /// a `misChild` naming no known pupil entry gives no pair.
    public static func build(parents: [Entry], pupilKeys: [String: String]) -> MoodleView {
        MoodleView(parents: parents.compactMap { entry in
            guard let uid = entry.string(ParentAttribute.uid) else { return nil }
            let status = entry.string(ParentAttribute.misAccountStatus)?.lowercased()
            let pupils = entry.strings(ParentAttribute.misChild).compactMap { pupilKeys[DistinguishedName.comparisonKey(of: $0)] }
            return Parent(username: uid.lowercased(), disabled: status == AccountStatus.disabled.rawValue, pupils: Set(pupils))
        })
    }

    /// The entries as they will be once `changes` are written (each change's own modifications laid over
    /// the entry; a create adds an entry, a delete removes it).
    public static func entries(_ entries: [Entry], after changes: [Change]) -> [Entry] {
        var byDN: [String: Entry] = [:]
        var order: [String] = []
        for entry in entries {
            let key = DistinguishedName.comparisonKey(of: entry.dn)
            byDN[key] = entry
            order.append(key)
        }
        for change in changes {
            let key = DistinguishedName.comparisonKey(of: change.dn)
            switch change.action {
            case .delete:
                byDN[key] = nil
            case .create:
                if byDN[key] == nil { order.append(key) }
                byDN[key] = Entry(dn: change.dn, attributes: [])
                fallthrough
            default:
                guard var entry = byDN[key] else { continue }
                for modification in change.modifications { entry.apply(modification) }
                byDN[key] = entry
            }
        }
        return order.compactMap { byDN[$0] }
    }
}

/// A parent who may see a pupil: the parent's Moodle username and the pupil's Moodle key.
public struct MoodlePair: Sendable, Hashable, Codable, Comparable {
    public var parent: String
    public var pupil: String

    public init(parent: String, pupil: String) {
        self.parent = parent
        self.pupil = pupil
    }

    public static func < (lhs: MoodlePair, rhs: MoodlePair) -> Bool { (lhs.parent, lhs.pupil) < (rhs.parent, rhs.pupil) }
}

extension Entry {
    /// Lays one planned modification over the entry, as the server would (names compared without case).
    mutating func apply(_ modification: AttributeChange) {
        let name = modification.attribute.lowercased()
        // The entry's attributes are one buffer: taken out once, changed, and put back once.
        var attributes = self.attributes
        defer { self.attributes = attributes }
        let index = attributes.firstIndex { $0.name.lowercased() == name }
        let current = index.map { attributes[$0].strings } ?? []
        var values: [String]
        switch modification.kind {
        case .add:
            values = current + modification.values.filter { !current.contains($0) }
        case .replace:
            values = modification.values
        case .delete:
            if modification.values.isEmpty {
                values = []
            } else {
                let gone = Set(modification.values.map { $0.lowercased() })
                values = current.filter { !gone.contains($0.lowercased()) }
            }
        }
        if let index {
            if values.isEmpty { attributes.remove(at: index) } else { attributes[index] = Attribute(modification.attribute, values) }
        } else if !values.isEmpty {
            attributes.append(Attribute(modification.attribute, values))
        }
    }
}
