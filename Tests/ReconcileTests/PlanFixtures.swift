import Foundation
import Testing

@testable import Reconcile

/// The one fixture builder of the planner tests: people, their links, and directories as earlier runs
/// left them.
enum PlanFixture {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30 00:53:20 UTC
    static let nowString = "20261130005320Z"
    static let base = "ou=Parents,dc=example,dc=org"
    static let groupDN = "cn=Parents,ou=Groups,dc=example,dc=org"

    /// A person at the schools of their references, with an e-mail and mobile derived from the id.
    static func person(
        _ id: String, refs: [String], given: String = "Jane", family: String? = nil, mail: String? = nil,
        mobile: String? = nil, username: String? = nil, links: [DesiredLink]
    ) -> DesiredParent {
        let family = family ?? "Smith\(id)"
        let mail = mail ?? "\(id.lowercased())@example.net"
        return DesiredParent(
            personID: id, contactRefs: Set(refs),
            identityKeys: IdentityKeys(givenName: given, familyName: family, emails: [mail], mobiles: [mobile]),
            username: username ?? "\(given).\(family)".lowercased(), givenName: given, familyName: family,
            displayName: "\(given) \(family)", mail: mail, mobile: mobile, links: links)
    }

    /// An eligible link (parental responsibility).
    static func child(_ ref: String, dn: String? = nil) -> DesiredLink {
        DesiredLink(pupilRef: ref, pupilDN: dn, eligible: true, reasons: [.parentalResponsibility])
    }

    /// A link the sources revoke.
    static func revoked(_ ref: String, _ reason: ReasonCode = .courtOrder) -> DesiredLink {
        DesiredLink(pupilRef: ref, eligible: false, reasons: [reason])
    }

    /// A link that is no longer eligible without being revoked.
    static func lapsed(_ ref: String, _ reason: ReasonCode = .notOnRoll) -> DesiredLink {
        DesiredLink(pupilRef: ref, eligible: false, reasons: [reason])
    }

    static func context(
        limits: SafetyLimits = SafetyLimits(maxDisable: .count(100), maxUnlink: .count(100)),
        unhealthy: [String: SourceProblem] = [:], acceptLimits: Bool = false,
        activation: ActivationMode = .onCreate, now: Date = PlanFixture.now
    ) -> PlanContext {
        PlanContext(
            now: now, parentsBase: base, limits: limits, unhealthySchools: unhealthy,
            acceptLimits: acceptLimits, activation: activation)
    }

    /// The directory as a clean earlier run of these people left it.
    static func settled(
        _ people: [DesiredParent], group: Bool = true, pupilDNs: [String: String] = [:],
        context: PlanContext = context(limits: SafetyLimits(maxDisable: .count(10_000), maxUnlink: .count(10_000)))
    ) -> CurrentDirectory {
        let empty = CurrentDirectory(
            parents: [], roleGroup: group ? RoleGroupState(dn: groupDN, exists: false) : nil, pupilDNs: pupilDNs)
        let plan = Planner.plan(desired: people, current: empty, context: context)
        return PlanSimulator.apply(plan, to: empty)
    }

    static func plan(
        _ people: [DesiredParent], _ directory: CurrentDirectory, context: PlanContext = context()
    ) -> Plan {
        Planner.plan(desired: people, current: directory, context: context)
    }
}

extension CurrentDirectory {
    /// The entry with this uid.
    func parent(_ uid: String) -> CurrentParent? { parents.first { $0.uid == uid } }

    /// The same directory with one entry changed.
    func changing(_ uid: String, _ edit: (inout CurrentParent) -> Void) -> CurrentDirectory {
        var copy = self
        copy.parents = parents.map { parent in
            guard parent.uid == uid else { return parent }
            var edited = parent
            edit(&edited)
            return edited
        }
        return copy
    }
}

extension Plan {
    func changes(_ action: ChangeAction) -> [Change] { changes.filter { $0.action == action } }
    func held(_ action: ChangeAction) -> [HeldChange] { held.filter { $0.change.action == action } }
}
