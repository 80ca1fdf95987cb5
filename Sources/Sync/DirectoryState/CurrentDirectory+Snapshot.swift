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
    /// A managed entry as the planner compares it.
    public init(_ entry: Entry) {
        self.init(
            dn: entry.dn,
            uid: entry.string(ParentAttribute.uid) ?? "",
            misParentId: entry.string(ParentAttribute.misParentId),
            misContactRef: Set(entry.strings(ParentAttribute.misContactRef)),
            misChildRef: Set(entry.strings(ParentAttribute.misChildRef)),
            misChild: Set(entry.strings(ParentAttribute.misChild)),
            cn: entry.string(ParentAttribute.cn),
            sn: entry.string(ParentAttribute.sn),
            givenName: entry.string(ParentAttribute.givenName),
            displayName: entry.string(ParentAttribute.displayName),
            mail: entry.string(ParentAttribute.mail),
            mobile: entry.string(ParentAttribute.mobile),
            hasParentRole: entry.strings(ParentAttribute.misRole).contains { $0.lowercased() == ParentAttribute.parentRole.lowercased() },
            status: entry.string(ParentAttribute.misAccountStatus).flatMap { AccountStatus(rawValue: $0.lowercased()) },
            statusReason: entry.strings(ParentAttribute.misStatusReason).first,
            statusSince: entry.string(ParentAttribute.misStatusSince),
            isLocked: entry.strings(ParentAttribute.pwdAccountLockedTime).contains(ParentAttribute.permanentLock))
    }
}
