/// The changes of one person or entry: matched, new, unmatched, or in conflict.
extension PlanDraft {
    /// A person with an entry: links and unlinks, then enable, disable or delete, then details.
    mutating func planMatched(_ person: DesiredParent, entry: CurrentParent) {
        var links = Self.mergedLinks(person.links)
        // A child another holder of the entry's records is revoked from goes, unless this person may see it.
        for (reference, link) in revokedLinks(ofRecords: entry) where links[reference]?.eligible != true {
            links[reference] = link
        }
        let eligible = Set(links.values.filter(\.eligible).map(\.pupilRef))
        // Worked out only when a change is planned: most entries of a run have none.
        func schools() -> Set<String> { person.schools.union(entry.schools) }
        let parentID = entry.misParentId ?? person.personID

        if entry.status == .disabled {
            guard eligible.isEmpty else {
                planEnable(entry, parentID: parentID, links: links, eligible: eligible, schools: schools())
                planDetails(person, entry: entry, parentID: parentID, wantedChildren: eligible, links: links,
                            schools: schools(), repairStatus: false)
                return
            }
            if planDeleteIfDue(entry, parentID: parentID, schools: schools()) { return }
            planStaleUnlinks(of: entry, parentID: parentID, links: links)
            planDetails(person, entry: entry, parentID: parentID, wantedChildren: [], links: links,
                        schools: schools(), repairStatus: true)
            return
        }

        // Links at a school whose export could not be read are unknown, not gone: they still count as
        // access, so a revocation elsewhere does not lock the parent out of that school's children.
        let unreadable = unreadableSchools
        let unknown = unreadable.isEmpty ? [] : entry.misChildRef.filter {
            unreadable.contains(schoolOf($0)) && links[$0] == nil
        }
        if eligible.isEmpty && unknown.isEmpty {
            let revoked = links.values.contains(where: \.isRevoked)
            planDisable(entry, parentID: parentID, links: links, schools: schools(), revokedElsewhere: revoked)
            planDetails(person, entry: entry, parentID: parentID, wantedChildren: [], links: links,
                        schools: schools(), repairStatus: false, disabling: true)
            return
        }
        planLinks(entry, parentID: parentID, links: links, wanted: eligible)
        planDetails(person, entry: entry, parentID: parentID, wantedChildren: eligible, links: links,
                    schools: schools(), repairStatus: true)
    }

    /// A person without an entry: a new account, if they may see at least one child.
    mutating func planCreate(_ person: DesiredParent) {
        // Nobody to create without an eligible link (a pupil is eligible only if one of its links is):
        // the people of a run without an entry are mostly such, and merging their links costs dictionaries.
        guard person.links.contains(where: \.eligible) else { return }
        let links = Self.mergedLinks(person.links)
        let eligible = Set(links.values.filter(\.eligible).map(\.pupilRef))
        guard !eligible.isEmpty, !person.contactRefs.isEmpty else { return }
        let dn = DistinguishedNames.parent(username: person.username, base: context.parentsBase)
        if takenDNs == nil { takenDNs = Set(current.parents.map { DistinguishedNames.comparable($0.dn) }) }
        guard takenDNs!.insert(DistinguishedNames.comparable(dn)).inserted else {
            warnings.append(PlanWarning(
                code: .usernameTaken,
                message: "\(person.personID): username \(person.username) is already \(dn); no account created"))
            return
        }
        let status = context.activation.newAccountStatus
        let grants = grantReasons(of: links, eligible: eligible)
        var attributes = desiredDetails(of: person).map { AttributeChange.add($0.key, [$0.value]) }
        attributes += [
            .add(ParentAttribute.objectClass, ParentAttribute.objectClasses),
            .add(ParentAttribute.uid, [person.username]),
            .add(ParentAttribute.misParentId, [person.personID]),
            .add(ParentAttribute.misContactRef, person.contactRefs),
            .add(ParentAttribute.misChildRef, eligible),
            .add(ParentAttribute.misRole, [ParentAttribute.parentRole]),
            .add(ParentAttribute.misAccountStatus, [status.rawValue]),
            .add(ParentAttribute.misStatusReason, [Self.statusReason(grants)]),
            .add(ParentAttribute.misStatusSince, [now]),
        ]
        let childDNs = eligible.compactMap { pupilDN($0, links: links) }
        if !childDNs.isEmpty { attributes.append(.add(ParentAttribute.misChild, Set(childDNs))) }
        if status != .active { attributes.append(.add(ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock])) }
        add(Change(
            action: .create, dn: dn, parentID: person.personID, reasons: grants, schools: person.schools,
            cause: .routine, modifications: attributes,
            group: status == .active && hasRoleGroup ? MembershipChange(kind: .add, member: dn) : nil))
    }

    /// An entry no person matched: every record of it disappeared from the sources — unless a contact
    /// of the same name has this entry's child revoked, which makes the disable a revocation.
    mutating func planOrphan(_ entry: CurrentParent) {
        let parentID = entry.misParentId ?? entry.uid
        let revoked = revokedLinks(ofUnmatched: entry)
        if entry.status == .disabled {
            if planDeleteIfDue(entry, parentID: parentID, schools: entry.schools) { return }
            planStaleUnlinks(of: entry, parentID: parentID, links: revoked)
            planDetails(nil, entry: entry, parentID: parentID, wantedChildren: [], links: revoked,
                        schools: entry.schools, repairStatus: true)
            return
        }
        planDisable(
            entry, parentID: parentID, links: revoked, schools: entry.schools, revokedElsewhere: false,
            missingReason: .contactDisappeared)
    }

    /// People whose records point at several entries: warned about, and their entries left alone but
    /// for the links the sources revoke ("Conflicts are not shelters").
    mutating func planConflicts(_ conflicts: [IndexMatching.Conflict], desired: [DesiredParent]) {
        var revokedByEntry: [Int: [String: DesiredLink]] = [:]
        for conflict in conflicts {
            let people = conflict.persons.map { desired[$0] }
            let dns = conflict.entries.map { current.parents[$0].dn }.sorted()
            warnings.append(PlanWarning(
                code: .conflict,
                message: "\(people.map(\.personID).sorted().joined(separator: ", ")) match several entries ("
                    + dns.joined(separator: "; ") + "): left alone but for revoked links; "
                    + "fix the records in the MIS or with a dedupe override"))
            let revoked = Self.mergedLinks(people.flatMap(\.links)).filter { $0.value.isRevoked }
            for entry in conflict.entries {
                revokedByEntry[entry, default: [:]].merge(revoked) { first, second in
                    Self.mergedLinks([first, second])[first.pupilRef]!
                }
            }
        }
        for (index, revoked) in revokedByEntry {
            let entry = current.parents[index]
            let parentID = entry.misParentId ?? entry.uid
            let lost = entry.misChildRef.filter { revoked[$0] != nil }
            guard !lost.isEmpty else { continue }
            if lost == entry.misChildRef, entry.status != .disabled {
                planDisable(entry, parentID: parentID, links: revoked, schools: entry.schools, revokedElsewhere: true)
            } else {
                planLinks(entry, parentID: parentID, links: revoked, wanted: entry.misChildRef.subtracting(lost),
                          unlinkOnly: true)
            }
        }
    }
}
