import Foundation

/// A change as planned, before the gates: with what the gates need to know beyond the change itself.
struct PlannedChange {
    var change: Change
    /// An unlink that a disable of the same entry brings: it shares the disable's fate at the gates
    /// (a disabled account keeps no links; a held disable keeps them all) and does not count on its own
    /// against `max_unlink`.
    var followsDisable = false
    /// A disable of a `pending` account (created, credentials not handed over): nobody has logged in to
    /// it yet, so the safety gates neither count nor hold it as a disable (DESIGN.md Part A).
    var disablesPendingAccount = false
}

/// The plan being built: the changes of each entry, then the gates, the order and the role group.
struct PlanDraft {
    let current: CurrentDirectory
    let context: PlanContext
    let now: String
    /// The role group's members, compared as DNs (folded when first needed; see `isGroupMember`).
    let groupMembers: FoldedDNs
    /// Whether the account should be a role group member but is not (or the other way round) is only
    /// a question when a group is configured. Kept from the start: asked of every matched person, a
    /// computed `current.roleGroup != nil` copied the group (a retain and a release of its DN and members).
    let hasRoleGroup: Bool
    /// Every DN in use under the parents base (compared as DNs), so a new account never collides:
    /// folded at the first create (a run that creates nobody need not fold 100,000 DNs).
    var takenDNs: Set<String>?
    /// Every revoked link of the sources, by name and pupil and by record (see `RevokedLinks`): made when
    /// first asked, by an entry that changes or that no person matched (a run that changes nothing needs none).
    let revocations: RevokedLinks
    var planned: [PlannedChange] = []
    var warnings: [PlanWarning] = []

    struct NameAndPupil: Hashable {
        var nameKey: String
        var pupilRef: String
    }

    init(desired: [DesiredParent], current: CurrentDirectory, context: PlanContext) {
        self.current = current
        self.context = context
        revocations = RevokedLinks(desired)
        now = GeneralizedTime.string(from: context.now)
        groupMembers = FoldedDNs(current.roleGroup?.members ?? [])
        hasRoleGroup = current.roleGroup != nil
    }

    /// The schools whose sources could not be read this run.
    var unreadableSchools: Set<String> {
        Set(context.unhealthySchools.filter { $0.value == .unreadable }.keys)
    }

    /// Whether `dn` is a member of the role group, compared as DNs.
    func isGroupMember(_ dn: String) -> Bool {
        groupMembers.contains(dn)
    }

    /// The DN of a pupil's own entry: as eligibility found it, else from the pupils index.
    func pupilDN(_ reference: String, links: [String: DesiredLink]) -> String? {
        links[reference]?.pupilDN ?? current.pupilDNs[reference]
    }

    mutating func add(_ change: Change, followsDisable: Bool = false) {
        planned.append(PlannedChange(change: change, followsDisable: followsDisable))
    }

    /// The links of an entry no person matched that the sources revoke for a contact of the same name.
    ///
    /// When a contact's references and e-mail change in the same export (CTF renumbers contacts), the
    /// person no longer finds their entry, which then looks like a disappearance — and the gates may
    /// hold that. A revocation must not wait on a gate: the same name revoked from the same child is
    /// taken as the same person, since wrongly removing that one link errs on the safe side.
    func revokedLinks(ofUnmatched entry: CurrentParent) -> [String: DesiredLink] {
        guard !entry.withValues({ $0.list(.misChildRef).isEmpty }) else { return [:] }
        let revocationsByName = revocations.byName
        guard !revocationsByName.isEmpty else { return [:] }
        let nameKey = entry.identityKeys.nameKey
        guard !nameKey.isEmpty else { return [:] }
        var revoked: [String: DesiredLink] = [:]
        for reference in entry.misChildRef {
            revoked[reference] = revocationsByName[NameAndPupil(nameKey: nameKey, pupilRef: reference)]
        }
        return revoked
    }

    /// The links of the entry's children that the sources revoke for any person holding one of the
    /// entry's records. When dedupe splits an entry's records between people, the entry is matched to one
    /// of them; a revocation found for another must still reach the entry, which holds that person's
    /// records and child links ("Revocation is immediate").
    func revokedLinks(ofRecords entry: CurrentParent) -> [String: DesiredLink] {
        let revocationsByRecord = revocations.byRecord
        let revoked = entry.misContactRef.flatMap { revocationsByRecord[$0] ?? [] }.filter { entry.misChildRef.contains($0.pupilRef) }
        return revoked.isEmpty ? [:] : Self.mergedLinks(revoked)
    }

    /// One link per pupil: a person with two records for one pupil has one link, revoked if either
    /// record is revoked (revocation wins), else eligible if either is; the reasons are those of the
    /// records that agree with the verdict.
    static func mergedLinks(_ links: [DesiredLink]) -> [String: DesiredLink] {
        let byPupil = Dictionary(grouping: links, by: \.pupilRef)
        return byPupil.mapValues { records in
            let verdict: (DesiredLink) -> Bool =
                if records.contains(where: \.isRevoked) { \.isRevoked }
                else if records.contains(where: \.eligible) { \.eligible }
                else { { _ in true } }
            let agreeing = records.filter(verdict)
            var merged = agreeing[0]
            merged.reasons = Array(Set(agreeing.flatMap(\.reasons))).sorted()
            merged.pupilDN = records.compactMap(\.pupilDN).min()
            return merged
        }
    }
}

/// Every revoked link of the sources, indexed when first asked for: by the contact's name key and the
/// pupil (see `PlanDraft.revokedLinks(ofUnmatched:)`), and by each record reference of the person it belongs
/// to (see `PlanDraft.revokedLinks(ofRecords:)`). Only an entry that changes, or that no person matched, asks;
/// indexing them costs every revoked person's identity keys.
final class RevokedLinks {
    private let desired: [DesiredParent]
    private var index: (byName: [PlanDraft.NameAndPupil: DesiredLink], byRecord: [String: [DesiredLink]])?

    init(_ desired: [DesiredParent]) {
        self.desired = desired
    }

    var byName: [PlanDraft.NameAndPupil: DesiredLink] { built().byName }
    var byRecord: [String: [DesiredLink]] { built().byRecord }

    private func built() -> (byName: [PlanDraft.NameAndPupil: DesiredLink], byRecord: [String: [DesiredLink]]) {
        if let index { return index }
        var revocations: [PlanDraft.NameAndPupil: DesiredLink] = [:]
        var byRecord: [String: [DesiredLink]] = [:]
        // By index, and only people with a revoked link: most have none, and a person taken out of the
        // array is a copy (a retain of each of their values).
        for index in desired.indices where desired[index].links.contains(where: \.isRevoked) {
            let revoked = desired[index].links.filter(\.isRevoked)
            let nameKey = desired[index].identityKeys.nameKey
            if !nameKey.isEmpty {
                for link in revoked {
                    let key = PlanDraft.NameAndPupil(nameKey: nameKey, pupilRef: link.pupilRef)
                    revocations[key] = revocations[key].map { PlanDraft.mergedLinks([$0, link])[link.pupilRef]! } ?? link
                }
            }
            for reference in desired[index].contactRefs { byRecord[reference, default: []] += revoked }
        }
        index = (revocations, byRecord)
        return (revocations, byRecord)
    }
}

/// A set of DNs asked whether it holds a DN as `DistinguishedNames.comparable` compares them. A DN
/// spelt exactly as one of them is found without folding anything (the role group's members are the
/// entries' DNs as the directory returns them, so nearly every member asked about is); only another
/// spelling, or a DN not there, folds them all, once.
///
/// Asked from two threads at once (the planner's no-op test runs on two): the folded set is made under a lock.
final class FoldedDNs: @unchecked Sendable {
    let exact: Set<String>
    private var foldedOnce: Set<String>?
    private let folding = NSLock()

    init(_ dns: Set<String>) {
        exact = dns
    }

    func contains(_ dn: String) -> Bool {
        if exact.contains(dn) { return true }
        let folded = folding.withLock {
            if foldedOnce == nil { foldedOnce = Set(exact.map(DistinguishedNames.comparable)) }
            return foldedOnce!
        }
        return folded.contains(DistinguishedNames.comparable(dn))
    }
}
