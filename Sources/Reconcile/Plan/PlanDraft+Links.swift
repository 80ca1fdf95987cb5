/// Child links: one `link` or `unlink` change per parent–child pair.
extension PlanDraft {
    /// Links the pupils in `wanted` the entry lacks and unlinks those it has beyond them.
    ///
    /// - Parameters:
    ///   - unlinkOnly: plan only the unlinks (an entry in conflict gains nothing).
    ///   - missingReason: the reason of an unlink whose pupil the person's links no longer mention.
    ///   - followsDisable: the unlinks belong to a disable of the entry planned in the same plan.
    /// - Returns: the causes of the unlinks planned.
    @discardableResult
    mutating func planLinks(
        _ entry: CurrentParent, parentID: String, links: [String: DesiredLink], wanted: Set<String>,
        unlinkOnly: Bool = false, missingReason: SyncReason = .linkDisappeared, followsDisable: Bool = false
    ) -> [ChangeCause] {
        let currentDNs = Self.valuesByComparableDN(entry.misChild)
        if !unlinkOnly {
            for reference in wanted.subtracting(entry.misChildRef) {
                var modifications = [AttributeChange.add(ParentAttribute.misChildRef, [reference])]
                if let dn = pupilDN(reference, links: links), currentDNs[DistinguishedNames.comparable(dn)] == nil {
                    modifications.append(.add(ParentAttribute.misChild, [dn]))
                }
                let reasons = (links[reference]?.reasons ?? []).map(ChangeReason.eligibility)
                add(Change(
                    action: .link, dn: entry.dn, parentID: parentID, reasons: reasons, pupil: reference,
                    schools: [schoolOf(reference)], cause: .routine, modifications: modifications))
            }
        }
        var causes: [ChangeCause] = []
        for reference in entry.misChildRef.subtracting(wanted) {
            var modifications = [AttributeChange.delete(ParentAttribute.misChildRef, [reference])]
            if let dn = pupilDN(reference, links: links), let stored = currentDNs[DistinguishedNames.comparable(dn)] {
                modifications.append(.delete(ParentAttribute.misChild, [stored]))
            }
            let link = links[reference].flatMap { $0.eligible ? nil : $0 }
            let cause: ChangeCause = link?.isRevoked == true ? .revocation : .disappearance
            let reasons = link.map { $0.reasons.map(ChangeReason.eligibility) } ?? [.sync(missingReason)]
            causes.append(cause)
            add(
                Change(
                    action: .unlink, dn: entry.dn, parentID: parentID, reasons: reasons, pupil: reference,
                    schools: [schoolOf(reference)], cause: cause, modifications: modifications),
                followsDisable: followsDisable)
        }
        return causes
    }

    /// A disabled entry keeps no links: any it still has go (the entry cannot log in, so nothing holds
    /// this back but an unreadable source).
    mutating func planStaleUnlinks(of entry: CurrentParent, parentID: String, links: [String: DesiredLink]) {
        let before = planned.count
        planLinks(entry, parentID: parentID, links: links, wanted: [], missingReason: .statusRepaired)
        for index in planned.indices.dropFirst(before) where planned[index].change.cause == .disappearance {
            planned[index].change.cause = .routine
        }
    }

    /// The `misChild` values the link and unlink changes do not cover: a pupil entry found, moved or
    /// removed since the link was made. Returns the values to add and to delete.
    func childEntryDrift(
        of entry: CurrentParent, wanted: Set<String>, links: [String: DesiredLink]
    ) -> (add: [String], delete: [String]) {
        let currentDNs = Self.valuesByComparableDN(entry.misChild)
        let covered = Set(entry.misChildRef.symmetricDifference(wanted).compactMap {
            pupilDN($0, links: links).map(DistinguishedNames.comparable)
        })
        var desiredDNs: [String: String] = [:]
        for reference in wanted.intersection(entry.misChildRef) {
            if let dn = pupilDN(reference, links: links) { desiredDNs[DistinguishedNames.comparable(dn)] = dn }
        }
        let toAdd = desiredDNs.filter { currentDNs[$0.key] == nil && !covered.contains($0.key) }.map(\.value)
        let toDelete = currentDNs.filter { desiredDNs[$0.key] == nil && !covered.contains($0.key) }.map(\.value)
        return (toAdd, toDelete)
    }

    static func valuesByComparableDN(_ dns: Set<String>) -> [String: String] {
        Dictionary(dns.map { (DistinguishedNames.comparable($0), $0) }, uniquingKeysWith: { min($0, $1) })
    }
}
