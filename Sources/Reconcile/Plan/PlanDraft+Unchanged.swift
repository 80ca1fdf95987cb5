/// The no-op fast path: most matched entries of a run need nothing, and telling so from the values as
/// they are costs a fraction of what `planMatched` builds to find out (merged links by pupil, sets of
/// eligible pupils, DNs folded into dictionaries, the details as a dictionary).
extension PlanDraft {
    /// For each person of `desired`, whether they have an entry in `matching` that needs nothing
    /// (`isUnchanged`): on two threads for a local authority. The test only reads, and by the time a run
    /// plans, the directory's read has left the second core idle.
    func unchangedPeople(_ desired: [DesiredParent], matching: IndexMatching, twoThreadsFrom: Int = Halves.smallest) -> [Bool] {
        desired.withUnsafeBufferPointer { people in
            current.parents.withUnsafeBufferPointer { entries in
                // Shared by the two halves, which read them only (`FoldedDNs` folds under a lock).
                let shared = ReadOnly((self, people, entries, matching))
                return Halves.fill(people.count, cut: people.count / 2, parallel: people.count >= twoThreadsFrom) { range, slots in
                    let (draft, people, entries, matching) = shared.value
                    guard let base = people.baseAddress, let entryBase = entries.baseAddress else { return () }
                    for person in range {
                        let entry = matching.entry(ofPerson: person)
                        slots.put(entry.map { draft.isUnchanged(base + person, entry: entryBase + $0) } ?? false, at: person)
                    }
                    return ()
                }.items
            }
        }
    }

    /// True only when `planMatched(person, entry:)` would plan nothing for this pair; false when it might
    /// plan something (the general path then decides). Each test below is one of the general path's
    /// conditions for planning nothing, in its own terms.
    ///
    /// The person and the entry where they lie (the planner's arrays): each field read in place, where a
    /// person or an entry passed by value was copied whole (a retain and a release of each of its values).
    // Inlined into the planner's loop.
    @inline(__always)
    func isUnchanged(_ person: UnsafePointer<DesiredParent>, entry: UnsafePointer<CurrentParent>) -> Bool {
        // Status kept as it is (`statusRepair`): a known status other than disabled, the lock to match it,
        // the role, the id, and the group membership (checked last: it folds the DN).
        guard let status = entry.pointee.status, status != .disabled, entry.pointee.isLocked == (status != .active), entry.pointee.hasParentRole
        else { return false }
        // The packed values read in place: a String or a Set of each would cost what this path saves.
        // (`packed` alone taken out: a method of the pointee would copy the whole entry.)
        let packed = entry.pointee.packed
        let valuesUnchanged = packed.withReader { reader in
            // The fields in one pass over the buffer.
            let values = reader.fields()
            guard values.misParentId != nil else { return false }
            // `recordModifications`: the same references (both sides distinct, so the same count and each of
            // the person's found is the same set).
            let references = values.misContactRef
            guard references.count == person.pointee.contactRefs.count,
                person.pointee.contactRefs.allSatisfy({ references.contains(bytesOf: $0) })
            else { return false }
            // `detailModifications`: a wanted value must be stored as it is; a value the MIS no longer has
            // must be absent, but for `cn` and `sn`, which stay.
            guard Self.detailUnchanged(person.pointee.displayName, values.cn, keptWhenBlank: true),
                Self.detailUnchanged(person.pointee.familyName, values.sn, keptWhenBlank: true),
                Self.detailUnchanged(person.pointee.givenName, values.givenName, keptWhenBlank: false),
                Self.detailUnchanged(person.pointee.displayName, values.displayName, keptWhenBlank: false),
                Self.detailUnchanged(person.pointee.mail, values.mail, keptWhenBlank: false),
                Self.detailUnchanged(person.pointee.mobile, values.mobile, keptWhenBlank: false)
            else { return false }
            return childrenUnchanged(person.pointee.links, childRefs: values.misChildRef, childDNs: values.misChild)
        }
        guard valuesUnchanged else { return false }
        if hasRoleGroup, (status == .active) != isGroupMember(entry.pointee.dn) { return false }
        return true
    }

    /// A detail as `desiredDetails` and `detailModifications` treat it: an empty or missing value is
    /// not wanted. Against the value as packed: stored as wanted means the same bytes (a value equal as a
    /// String but spelt with other code points is left to the general path).
    @inline(__always)
    static func detailUnchanged(_ wanted: String?, _ stored: UnsafeRawBufferPointer?, keptWhenBlank: Bool) -> Bool {
        if let wanted, !wanted.isEmpty { return stored.map { PackedParentValues.same($0, wanted) } ?? false }
        return keptWhenBlank || stored == nil
    }

    /// The entry's children are exactly the pupils the person may see (no link, no unlink, no disable),
    /// and its `misChild` values are exactly those pupils' entries (no drift), as `mergedLinks` would
    /// merge the person's links: a pupil is eligible when one of its links is and none is revoked, and its
    /// entry is the least DN its links name, else the pupils index's. Links the sources revoke for other
    /// holders of the entry's records (`revokedLinks(ofRecords:)`) only replace links that are not
    /// eligible, so they change neither.
    ///
    /// Values are compared as bytes (`childRefs` and `childDNs` are the entry's `misChildRef` and
    /// `misChild` as packed): each pupil kept must be found, and the counts must agree, so a value spelt
    /// otherwise only sends the entry to the general path.
    @inline(__always)
    private func childrenUnchanged(
        _ links: [DesiredLink], childRefs: PackedParentValues.Values, childDNs: PackedParentValues.Values
    ) -> Bool {
        guard !childRefs.isEmpty, childDNs.count <= 64 else { return false }
        var eligibleCount = 0
        // The entry's `misChild` values that a child kept names, a bit each by position: distinct values,
        // so the bits set count the distinct DNs (no String kept of any).
        var childDNsNamed: UInt64 = 0
        // The links read where they lie: a link taken out of the array is a retain of its DN and reasons.
        return links.withUnsafeBufferPointer { buffer in
            guard let links = buffer.baseAddress else { return false }
            for index in 0..<buffer.count {
                let pupil = links[index].pupilRef
                // Each pupil once, at its first link.
                if (0..<index).contains(where: { links[$0].pupilRef == pupil }) { continue }
                var eligible = false
                var revoked = false
                var dn: String?
                for other in index..<buffer.count where links[other].pupilRef == pupil {
                    eligible = eligible || links[other].eligible
                    revoked = revoked || links[other].isRevoked
                    if let pupilDN = links[other].pupilDN, dn.map({ pupilDN < $0 }) ?? true { dn = pupilDN }
                }
                let keeps = eligible && !revoked
                guard keeps == childRefs.contains(bytesOf: pupil) else { return false }
                guard keeps else { continue }
                eligibleCount += 1
                // A DN stored as it is wanted is the same DN however it is folded; any other spelling goes to
                // the general path, which compares folded DNs.
                guard let childDN = dn ?? current.pupilDNs[pupil] else { continue }
                guard let position = childDNs.position(ofBytesOf: childDN) else { return false }
                childDNsNamed |= 1 << UInt64(position)
            }
            return eligibleCount == childRefs.count && childDNsNamed.nonzeroBitCount == childDNs.count
        }
    }
}
