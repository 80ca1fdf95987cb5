/// The `update` of an entry: the person's details and records, stale `misChild` values, and repairs.
extension PlanDraft {
    /// The single-valued attributes that come from the person's details; absent keys have no value.
    func desiredDetails(of person: DesiredParent) -> [String: String] {
        var details = [
            ParentAttribute.cn: person.displayName,
            ParentAttribute.sn: person.familyName,
            ParentAttribute.givenName: person.givenName,
            ParentAttribute.displayName: person.displayName,
        ]
        details[ParentAttribute.mail] = person.mail
        details[ParentAttribute.mobile] = person.mobile
        return details.filter { !$0.value.isEmpty }
    }

    /// Plans the entry's `update`, if anything differs.
    ///
    /// - Parameters:
    ///   - person: nil for an entry no person matched (only its repairs are planned).
    ///   - wantedChildren: the pupils the entry keeps after this plan, for the `misChild` drift.
    ///   - repairStatus: whether the status stays as it is (no enable or disable this run), so that its
    ///     lock and role group membership are checked here.
    ///   - disabling: a disable of the entry is planned, which removes every `misChild` itself.
    mutating func planDetails(
        _ person: DesiredParent?, entry: CurrentParent, parentID: String, wantedChildren: Set<String>,
        links: [String: DesiredLink], schools: @autoclosure () -> Set<String>, repairStatus: Bool, disabling: Bool = false
    ) {
        var modifications: [AttributeChange] = []
        var reasons: [ChangeReason] = []
        if let person {
            let details = detailModifications(person, entry: entry)
            if !details.isEmpty { reasons.append(.sync(.detailsChanged)) }
            let records = recordModifications(person, entry: entry)
            if !records.isEmpty { reasons.append(.sync(.recordsChanged)) }
            modifications += details + records
        }
        let drift = disabling
            ? (add: [String](), delete: [String]())
            : childEntryDrift(of: entry, wanted: wantedChildren, links: links)
        if !drift.add.isEmpty { modifications.append(.add(ParentAttribute.misChild, drift.add)) }
        if !drift.delete.isEmpty { modifications.append(.delete(ParentAttribute.misChild, drift.delete)) }
        if !drift.add.isEmpty || !drift.delete.isEmpty { reasons.append(.sync(.childEntryChanged)) }

        var group: MembershipChange?
        var repairs: [AttributeChange] = []
        if !entry.hasParentRole { repairs.append(.add(ParentAttribute.misRole, [ParentAttribute.parentRole])) }
        if repairStatus {
            let repair = statusRepair(of: entry)
            repairs += repair.modifications
            group = repair.group
        }
        if !repairs.isEmpty || group != nil { reasons.append(.sync(.statusRepaired)) }
        modifications += repairs

        guard !modifications.isEmpty || group != nil else { return }
        add(Change(
            action: .update, dn: entry.dn, parentID: parentID, reasons: reasons, schools: schools(),
            cause: .routine, modifications: modifications, group: group))
    }

    /// Name, e-mail and mobile: replaced where they differ, deleted where the MIS no longer has them —
    /// but never `cn` or `sn`, which `inetOrgPerson` requires: a blank name keeps the stored one.
    private func detailModifications(_ person: DesiredParent, entry: CurrentParent) -> [AttributeChange] {
        let desired = desiredDetails(of: person)
        let stored: [String: String?] = [
            ParentAttribute.cn: entry.cn, ParentAttribute.sn: entry.sn,
            ParentAttribute.givenName: entry.givenName, ParentAttribute.displayName: entry.displayName,
            ParentAttribute.mail: entry.mail, ParentAttribute.mobile: entry.mobile,
        ]
        return stored.compactMap { attribute, storedValue in
            switch (desired[attribute], storedValue) {
            case (let wanted?, let value) where wanted != value: .replace(attribute, wanted, previous: value)
            case (nil, let value?) where attribute != ParentAttribute.cn && attribute != ParentAttribute.sn:
                .delete(attribute, [value])
            default: nil
            }
        }
    }

    /// `misContactRef` value by value, and a `misParentId` the entry lost. The `uid` never changes.
    private func recordModifications(_ person: DesiredParent, entry: CurrentParent) -> [AttributeChange] {
        var modifications: [AttributeChange] = []
        if entry.misParentId == nil { modifications.append(.add(ParentAttribute.misParentId, [person.personID])) }
        let added = person.contactRefs.subtracting(entry.misContactRef)
        let removed = entry.misContactRef.subtracting(person.contactRefs)
        if !added.isEmpty { modifications.append(.add(ParentAttribute.misContactRef, added)) }
        if !removed.isEmpty { modifications.append(.delete(ParentAttribute.misContactRef, removed)) }
        return modifications
    }
}
