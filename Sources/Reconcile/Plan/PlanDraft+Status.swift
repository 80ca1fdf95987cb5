/// Account status: disable, enable, delete, and repairs of a status's lock and group membership.
extension PlanDraft {
    /// Disables the entry and unlinks every child.
    ///
    /// A disable is a revocation when a link it removes is revoked — or, when it removes none,
    /// when the sources revoke one of the person's links — and then neither it nor any of its unlinks
    /// is ever held. Otherwise the person's children disappeared, and the gates may hold it.
    ///
    /// - Parameter missingReason: the reason of an unlink whose pupil `links` does not mention:
    ///   `contact-disappeared` for an entry no person matched.
    mutating func planDisable(
        _ entry: CurrentParent, parentID: String, links: [String: DesiredLink], schools: Set<String>,
        revokedElsewhere: Bool, missingReason: SyncReason = .linkDisappeared
    ) {
        let firstUnlink = planned.count
        let causes = planLinks(
            entry, parentID: parentID, links: links, wanted: [], missingReason: missingReason, followsDisable: true)
        let isRevocation = causes.isEmpty ? revokedElsewhere : causes.contains(.revocation)
        var reasons = Set(planned.dropFirst(firstUnlink).flatMap(\.change.reasons))
        if reasons.isEmpty {
            reasons = isRevocation
                ? Set(links.values.filter(\.isRevoked).flatMap(\.reasons).map(ChangeReason.eligibility))
                : [.sync(missingReason)]
        }
        let cause: ChangeCause = isRevocation ? .revocation : .disappearance
        for index in planned.indices.dropFirst(firstUnlink) { planned[index].change.cause = cause }

        var modifications = statusModifications(.disabled, reasons: Array(reasons))
        // Every misChild goes, also values no unlink covers (a pupil entry the index no longer knows).
        let stale = childEntryDrift(of: entry, wanted: [], links: links).delete
        if !stale.isEmpty { modifications.append(.delete(ParentAttribute.misChild, stale)) }
        modifications += lockModifications(locked: true, entry: entry)
        add(Change(
            action: .disable, dn: entry.dn, parentID: parentID, reasons: Array(reasons), schools: schools,
            cause: cause, modifications: modifications,
            group: isGroupMember(entry.dn) ? MembershipChange(kind: .delete, member: entry.dn) : nil))
        planned[planned.count - 1].disablesPendingAccount = entry.status == .pending
    }

    /// Enables a disabled entry whose person may see a child again, and links the children. Under
    /// `on_handover` it comes back `pending`: a re-enabled parent gets a new first password, which has
    /// to be handed over like a new account's.
    mutating func planEnable(
        _ entry: CurrentParent, parentID: String, links: [String: DesiredLink], eligible: Set<String>,
        schools: Set<String>
    ) {
        let status = context.activation.newAccountStatus
        let grants = grantReasons(of: links, eligible: eligible)
        let modifications = statusModifications(status, reasons: grants)
            + lockModifications(locked: status != .active, entry: entry)
        let joins = status == .active && hasRoleGroup && !isGroupMember(entry.dn)
        add(Change(
            action: .enable, dn: entry.dn, parentID: parentID, reasons: grants, schools: schools,
            cause: .routine, modifications: modifications,
            group: joins ? MembershipChange(kind: .add, member: entry.dn) : nil))
        planLinks(entry, parentID: parentID, links: links, wanted: eligible)
    }

    /// Deletes a disabled entry once it has been disabled for `delete_after_days`, when deletes are
    /// configured at all (`delete_after_days` and `max_delete` both above 0). Returns whether it did.
    mutating func planDeleteIfDue(_ entry: CurrentParent, parentID: String, schools: Set<String>) -> Bool {
        let limits = context.limits
        guard limits.deleteAfterDays > 0, limits.maxDelete > 0,
            let since = entry.statusSince.flatMap(GeneralizedTime.date(from:)),
            context.now.timeIntervalSince(since) >= Double(limits.deleteAfterDays) * 86_400
        else { return false }
        add(Change(
            action: .delete, dn: entry.dn, parentID: parentID, reasons: [.sync(.disabledPastGracePeriod)],
            schools: schools, cause: .routine, modifications: [],
            group: isGroupMember(entry.dn) ? MembershipChange(kind: .delete, member: entry.dn) : nil))
        return true
    }

    /// What keeps an entry's lock, group membership and status attributes in line with the status it
    /// keeps (no enable or disable this run): an entry that lost its status is taken as active.
    func statusRepair(of entry: CurrentParent) -> (modifications: [AttributeChange], group: MembershipChange?) {
        let status = entry.status ?? .active
        var modifications: [AttributeChange] = []
        if entry.status == nil {
            modifications = statusModifications(status, reasons: [.sync(.statusRepaired)])
        }
        modifications += lockModifications(locked: status != .active, entry: entry)
        var group: MembershipChange?
        if hasRoleGroup, (status == .active) != isGroupMember(entry.dn) {
            group = MembershipChange(kind: status == .active ? .add : .delete, member: entry.dn)
        }
        return (modifications, group)
    }

    /// The lock's writes for an entry that should (or should not) be locked.
    ///
    /// Locking replaces: `pwdAccountLockedTime` is single-valued, and an entry locked out for a while
    /// after failed binds already holds a time there, which the permanent lock must overwrite.
    /// Unlocking deletes only the permanent lock (`isLocked`), never such a temporary lockout.
    func lockModifications(locked: Bool, entry: CurrentParent) -> [AttributeChange] {
        switch (locked, entry.isLocked) {
        case (true, false): [.replace(ParentAttribute.pwdAccountLockedTime, ParentAttribute.permanentLock)]
        case (false, true): [.delete(ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock])]
        default: []
        }
    }

    /// `misAccountStatus`, `misStatusReason` and `misStatusSince` for a status set now.
    func statusModifications(_ status: AccountStatus, reasons: [ChangeReason]) -> [AttributeChange] {
        [
            .replace(ParentAttribute.misAccountStatus, status.rawValue),
            .replace(ParentAttribute.misStatusReason, Self.statusReason(reasons)),
            .replace(ParentAttribute.misStatusSince, now),
        ]
    }

    /// The grounds of the eligible links, which a create or an enable gives as its reasons.
    func grantReasons(of links: [String: DesiredLink], eligible: Set<String>) -> [ChangeReason] {
        let reasons = eligible.compactMap { links[$0] }.flatMap(\.reasons).filter(\.grantsAccess)
        return Array(Set(reasons)).sorted().map(ChangeReason.eligibility)
    }

    /// The `misStatusReason` value: the change's reason codes, comma-separated.
    static func statusReason(_ reasons: [ChangeReason]) -> String {
        reasons.isEmpty ? "unspecified" : Array(Set(reasons)).sorted().map(\.code).joined(separator: ", ")
    }
}
