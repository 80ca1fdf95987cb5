extension Planner {
    /// The plan of `ldap-sync revoke`: one child link of one entry goes at once, as a revocation (never
    /// held), with `reasons`; when it was the entry's last link, the entry is disabled in the same plan.
    ///
    /// Nothing else of the entry changes: the sources are not consulted, so a school's safeguarding lead
    /// can act on a court order before the MIS is updated, and even when an export is unreadable.
    ///
    /// - Parameters:
    ///   - entry: the parent's entry as read; it must hold `pupil` in `misChildRef` for an unlink.
    ///   - pupil: `<school_id>/<pupil_id>`.
    ///   - pupilDN: the pupil's own entry, when known, so that its `misChild` value goes too.
    ///   - current: the directory as read (for the role group).
    public static func revoke(
        _ entry: CurrentParent, pupil: String, pupilDN: String?, reasons: [ReasonCode], current: CurrentDirectory,
        context: PlanContext
    ) -> Plan {
        var draft = PlanDraft(desired: [], current: current, context: context)
        let link = DesiredLink(pupilRef: pupil, pupilDN: pupilDN, eligible: false, reasons: reasons, loss: .revocation)
        let links = [pupil: link]
        let parentID = entry.misParentId ?? entry.uid
        let remaining = entry.misChildRef.subtracting([pupil])
        if remaining.isEmpty, entry.status != .disabled {
            draft.planDisable(entry, parentID: parentID, links: links, schools: entry.schools, revokedElsewhere: true)
        } else {
            draft.planLinks(entry, parentID: parentID, links: links, wanted: remaining, unlinkOnly: true)
        }
        return draft.finish()
    }
}
