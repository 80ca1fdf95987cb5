import Directory
import Reconcile

extension CurrentDirectory {
    /// The planner's view of what a snapshot read.
    public init(_ snapshot: DirectorySnapshot) {
        self.init(
            parents: snapshot.managedParents.map(CurrentParent.init),
            roleGroup: snapshot.roleGroup.map { RoleGroupState(dn: $0.dn, exists: $0.exists, members: Set($0.members)) },
            pupilDNs: snapshot.pupilDNs)
    }
}

extension CurrentParent {
    /// A managed entry as the planner compares it: one pass over the entry's attributes (a run turns every
    /// managed entry into one, a dozen attributes each), each attribute's values decoded once. As with
    /// `Entry.strings`, the first attribute of a name counts, names compared without regard to case.
    public init(_ entry: Entry) {
        var values = [[[UInt8]]?](repeating: nil, count: ParentField.allCases.count)
        for attribute in entry.attributes {
            guard let field = ParentField(name: attribute.name), values[field.rawValue] == nil else { continue }
            values[field.rawValue] = attribute.values
        }
        func strings(_ field: ParentField) -> [String] {
            (values[field.rawValue] ?? []).map { String(decoding: $0, as: UTF8.self) }
        }
        func string(_ field: ParentField) -> String? {
            values[field.rawValue]?.first.map { String(decoding: $0, as: UTF8.self) }
        }
        let parentRole = ParentAttribute.parentRole.lowercased()
        self.init(
            dn: entry.dn,
            uid: string(.uid) ?? "",
            misParentId: string(.misParentId),
            misContactRef: Set(strings(.misContactRef)),
            misChildRef: Set(strings(.misChildRef)),
            misChild: Set(strings(.misChild)),
            cn: string(.cn),
            sn: string(.sn),
            givenName: string(.givenName),
            displayName: string(.displayName),
            mail: string(.mail),
            mobile: string(.mobile),
            hasParentRole: strings(.misRole).contains { $0.lowercased() == parentRole },
            status: string(.misAccountStatus).flatMap { AccountStatus(rawValue: $0.lowercased()) },
            statusReason: string(.misStatusReason),
            statusSince: string(.misStatusSince),
            isLocked: strings(.pwdAccountLockedTime).contains(ParentAttribute.permanentLock))
    }
}

/// The attributes `CurrentParent` reads, by position.
private enum ParentField: Int, CaseIterable {
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

    /// The field of an attribute name: as the server usually spells it (the schema's name), else in any case.
    init?(name: String) {
        if let field = Self.byName[name] ?? Self.byLowercasedName[name.lowercased()] {
            self = field
        } else {
            return nil
        }
    }

    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.attributeName, $0) })
    private static let byLowercasedName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.attributeName.lowercased(), $0) })
}
