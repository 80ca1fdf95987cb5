import Roster

/// The decision for one pupil–contact link, with every reason that led to it.
public struct LinkEligibility: Sendable, Hashable {
    public var pupil: PupilReference
    /// The record (of the person's several) the link belongs to.
    public var contact: ContactReference
    public var isEligible: Bool
    /// Grounds for access when eligible; every ground for refusal when not, in `ReasonCode` order.
    public var reasons: [ReasonCode]
}

/// The eligibility rules of issue 4 and DESIGN.md Part B. A link is eligible when the pupil is on roll,
/// there is parental responsibility (or care, or the policy does not require it), no court order, the
/// source has not withdrawn access, the relationship is allowed and the priority within the limit. A
/// person gets an account when at least one of their links is eligible.
public enum Eligibility {
    /// The decision for one link. `isOnRoll` is the caller's: it depends on the roster and the date.
    public static func decide(_ link: ContactLink, isOnRoll: Bool, policy: EligibilityPolicy) -> LinkEligibility {
        // Gathered as bits, not arrays: this runs for every link of a local authority.
        var refusals = ReasonSet()
        var grounds = ReasonSet()
        if !isOnRoll { refusals.insert(.notOnRoll) }
        if link.hasCourtOrder == .yes { refusals.insert(.courtOrder) }
        if link.accessWithdrawn == .yes { refusals.insert(.sourceWithdrawn) }

        let isCarer = !policy.careRelationships.isEmpty && policy.careRelationships.contains(link.relationship)
        switch link.hasParentalResponsibility {
        case .yes:
            grounds.insert(.parentalResponsibility)
        case .no where isCarer, .unknown where isCarer:
            grounds.insert(.carer)
        case .no:
            if policy.requireParentalResponsibility { refusals.insert(.noParentalResponsibility) }
        case .unknown:
            guard policy.requireParentalResponsibility else { break }
            switch policy.unknownParentalResponsibility {
            // Allowed, but the report still says the MIS did not state it.
            case .allow: grounds.insert(.parentalResponsibilityUnknown)
            case .deny: refusals.insert(.parentalResponsibilityUnknown)
            case .review: refusals.insert(.awaitingReview)
            }
        }

        if !policy.relationships.isEmpty, !policy.relationships.contains(link.relationship) {
            refusals.insert(.relationshipNotAllowed)
        }
        // A link without a priority passes: sources such as OneRoster have none, and guessing one
        // would drop parents silently.
        if policy.maxPriority > 0, let priority = link.priority, priority > policy.maxPriority {
            refusals.insert(.priority)
        }
        let eligible = refusals.isEmpty
        return LinkEligibility(
            pupil: link.pupil, contact: link.contact, isEligible: eligible,
            reasons: eligible ? grounds.sorted : refusals.sorted)
    }

    /// A person's decision from their links' decisions: eligible when one link is. The reasons are the
    /// grounds of the eligible links, or, when none is eligible, every link's refusals.
    public static func person(_ links: [LinkEligibility]) -> (isEligible: Bool, reasons: [ReasonCode]) {
        let isEligible = links.contains(where: \.isEligible)
        var reasons = ReasonSet()
        for link in links where link.isEligible || !isEligible { reasons.formUnion(ReasonSet(link.reasons)) }
        return (isEligible, reasons.sorted)
    }
}
