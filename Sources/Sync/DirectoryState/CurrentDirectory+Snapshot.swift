import Directory
import Reconcile

extension CurrentDirectory {
    /// The planner's view of what a snapshot read: the one the snapshot keeps its entries in (the reader
    /// made it as the entries arrived).
    public init(_ snapshot: DirectorySnapshot) {
        self.init(
            parents: snapshot.currentParents,
            roleGroup: snapshot.roleGroup.map { RoleGroupState(dn: $0.dn, exists: $0.exists, members: Set($0.members)) },
            pupilDNs: snapshot.pupilDNs)
    }
}

extension CurrentParent {
    /// A managed entry as the planner compares it: one pass over the entry's attributes, read where they lie
    /// in its buffer (a run makes 100,000 of these, a dozen attributes each), the values copied into one
    /// packed buffer (`CurrentParent.Packer`) without a String or a Set of each. As
    /// with `Entry.strings`, the first attribute of a name counts, names compared without regard to case.
    public init(_ entry: Entry) {
        var packer = Packer()
        self.init(entry, packer: &packer)
    }

    /// `init(entry)` with a packer the caller keeps for its next entry (one scratch buffer for a whole read).
    public init(_ entry: Entry, packer: inout Packer) {
        // Every name looked up in the list (the general form `ParentEntries` is tested against).
        var lookup = AttributeNameLookup(ParentField.names, remembering: false)
        self.init(entry, packer: &packer, lookup: &lookup) { _, _, _ in }
    }

    /// `init(entry, packer:)` with the names found through `lookup` (a reader keeps one for all its entries,
    /// which nearly all have the same names in the same order), calling `each` with every attribute, what
    /// is known of its name, and its field when it is the first attribute of the field's name (the one read).
    init(
        _ entry: Entry, packer: inout Packer, lookup: inout AttributeNameLookup,
        each: (Entry.AttributeView, AttributeNameLookup.Found, ParentField?) -> Void
    ) {
        var seen: UInt32 = 0  // the fields met, a bit each
        var uid: String?
        var hasParentRole = false
        var status: AccountStatus?
        var isLocked = false
        entry.forEachAttribute { attribute in
            let found = lookup.find(attribute.name)
            guard let index = found.index, let field = ParentField(rawValue: index), seen & 1 << index == 0 else {
                each(attribute, found, nil)
                return
            }
            seen |= 1 << index
            each(attribute, found, field)
            let values = attribute.values
            switch field {
            case .uid: uid = values.firstString
            case .misParentId: packer.set(.misParentId, single: values.first)
            case .misContactRef, .misChildRef, .misChild:
                packer.beginList(field == .misContactRef ? .misContactRef : field == .misChildRef ? .misChildRef : .misChild)
                for value in values { packer.append(value) }
                packer.endList()
            case .cn: packer.set(.cn, single: values.first)
            case .sn: packer.set(.sn, single: values.first)
            case .givenName: packer.set(.givenName, single: values.first)
            case .displayName: packer.set(.displayName, single: values.first)
            case .mail: packer.set(.mail, single: values.first)
            case .mobile: packer.set(.mobile, single: values.first)
            // `misRole: Parent` in any case (the values are ASCII role names).
            case .misRole: hasParentRole = values.contains { ParentField.parentRole.contains($0) }
            case .misAccountStatus: status = values.firstString.flatMap { AccountStatus(rawValue: $0.lowercased()) }
            case .misStatusReason: packer.set(.statusReason, single: values.first)
            case .misStatusSince: packer.set(.statusSince, single: values.first)
            case .pwdAccountLockedTime: isLocked = values.contains { ParentField.permanentLock.elementsEqual($0) }
            }
        }
        self.init(dn: entry.dn, uid: uid ?? "", packer: &packer, hasParentRole: hasParentRole, status: status, isLocked: isLocked)
    }
}

/// The attributes `CurrentParent` reads, by position.
enum ParentField: Int, CaseIterable {
    case uid, misParentId, misContactRef, misChildRef, misChild, cn, sn, givenName, displayName, mail, mobile
    case misRole, misAccountStatus, misStatusReason, misStatusSince, pwdAccountLockedTime

    var attributeName: String {
        switch self {
        case .uid: ParentAttribute.uid
        case .misParentId: ParentAttribute.misParentId
        case .misContactRef: ParentAttribute.misContactRef
        case .misChildRef: ParentAttribute.misChildRef
        case .misChild: ParentAttribute.misChild
        case .cn: ParentAttribute.cn
        case .sn: ParentAttribute.sn
        case .givenName: ParentAttribute.givenName
        case .displayName: ParentAttribute.displayName
        case .mail: ParentAttribute.mail
        case .mobile: ParentAttribute.mobile
        case .misRole: ParentAttribute.misRole
        case .misAccountStatus: ParentAttribute.misAccountStatus
        case .misStatusReason: ParentAttribute.misStatusReason
        case .misStatusSince: ParentAttribute.misStatusSince
        case .pwdAccountLockedTime: ParentAttribute.pwdAccountLockedTime
        }
    }

    /// The fields' attribute names, in field order.
    static let names = AttributeNames(allCases.map(\.attributeName))
    /// `misRole`'s value for a parent, as a one-name list to compare values with without regard to case.
    static let parentRole = AttributeNames([ParentAttribute.parentRole])
    static let permanentLock = Array(ParentAttribute.permanentLock.utf8)
}
