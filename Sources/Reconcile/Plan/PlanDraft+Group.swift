/// The role group's writes, from the membership changes of the changes that are applied.
extension PlanDraft {
    /// Value-level `member` adds and deletes, or the group's creation with its first members.
    ///
    /// A `groupOfNames` must have at least one `member`. When the last one leaves, the group keeps a
    /// placeholder: its own DN, which names no person, so no VLE maps it to an account, and which
    /// needs no other entry to exist. The placeholder goes again as soon as a real member joins.
    func roleGroupPlan(for changes: [Change], warnings: inout [PlanWarning]) -> RoleGroupPlan? {
        guard let group = current.roleGroup else { return nil }
        var adds: [String: String] = [:]
        var deletes: [String: String] = [:]
        for case let membership? in changes.map(\.group) {
            let key = DistinguishedNames.comparable(membership.member)
            if membership.kind == .add { adds[key] = membership.member } else { deletes[key] = membership.member }
        }
        guard group.exists else {
            guard !adds.isEmpty else { return nil }
            var creation: [AttributeChange] = [
                .add(ParentAttribute.objectClass, ["groupOfNames"]),
                .add(ParentAttribute.member, adds.values),
            ]
            if let name = DistinguishedNames.commonName(ofGroup: group.dn) {
                creation.append(.add(ParentAttribute.cn, [name]))
            }
            return RoleGroupPlan(dn: group.dn, create: true, creation: creation, add: [], delete: [])
        }

        let placeholder = DistinguishedNames.comparable(group.dn)
        // No member joins or leaves: the group changes only if its placeholder has to come or go, which
        // needs no index of its (up to 100,000) members unless the placeholder is one of them.
        if adds.isEmpty, deletes.isEmpty, !group.members.isEmpty,
            !group.members.contains(where: { DistinguishedNames.comparable($0, equals: placeholder) })
        {
            return nil
        }
        let stored = Self.valuesByComparableDN(group.members)
        var after = Set(stored.keys).subtracting(deletes.keys).union(adds.keys)
        var toAdd = adds.filter { stored[$0.key] == nil }
        var toDelete: [String: String] = [:]
        for key in deletes.keys where adds[key] == nil {
            if let value = stored[key] { toDelete[key] = value }
        }
        if after.isEmpty {
            toAdd[placeholder] = group.dn
            after.insert(placeholder)
            warnings.append(PlanWarning(
                code: .groupPlaceholder,
                message: "\(group.dn) would have no member left; it keeps its own DN as a placeholder member"))
        } else if after.count > 1, let stored = stored[placeholder] {
            toDelete[placeholder] = stored
        }
        guard !toAdd.isEmpty || !toDelete.isEmpty else { return nil }
        return RoleGroupPlan(dn: group.dn, create: false, creation: [], add: Array(toAdd.values), delete: Array(toDelete.values))
    }
}
