import Roster

/// The decision for one pupil–contact link, with every reason that led to it.
public struct LinkEligibility: Sendable, Hashable {
    public var pupil: PupilReference
    /// The record (of the person's several) the link belongs to.
    public var contact: ContactReference
    public var isEligible: Bool
    /// Grounds for access when eligible; every ground for refusal when not, in `ReasonCode` order.
    public var reasons: [ReasonCode]
    /// The contact has parental responsibility and only an operational filter (`relationships`,
    /// `max_priority`) refuses the link: every plan warns about it, as the law still counts them a parent.
    public var filteredDespiteResponsibility = false

    public init(pupil: PupilReference, contact: ContactReference, isEligible: Bool, reasons: [ReasonCode],
                filteredDespiteResponsibility: Bool = false) {
        self.pupil = pupil
        self.contact = contact
        self.isEligible = isEligible
        self.reasons = reasons
        self.filteredDespiteResponsibility = filteredDespiteResponsibility
    }
}

/// What a link's decision needs besides the link and the policy: the caller's, since it depends on the
/// roster, the run's date and the directory.
public struct LinkFacts: Sendable, Hashable {
    /// The pupil is on roll on the run's date.
    public var isOnRoll: Bool
    /// The pupil is looked after (under `looked_after: manual`) or at `review_age`.
    public var pupilNeedsApproval: Bool
    /// What the school's policy files may name the person by.
    public var person: PersonKeys

    public init(isOnRoll: Bool, pupilNeedsApproval: Bool = false, person: PersonKeys) {
        self.isOnRoll = isOnRoll
        self.pupilNeedsApproval = pupilNeedsApproval
        self.person = person
    }
}

/// The eligibility rules of issue 4 and DESIGN.md Part B. A link is eligible when the pupil is on roll,
/// there is parental responsibility (or care, or the policy does not require it), no court order, the
/// source has not withdrawn access, the relationship is allowed and the priority within the limit. A
/// person gets an account when at least one of their links is eligible.
public enum Eligibility {
    /// The decision for one link of a person known only by this record, for a pupil needing no approval.
    public static func decide(_ link: ContactLink, isOnRoll: Bool, policy: EligibilityPolicy) -> LinkEligibility {
        decide(link, facts: LinkFacts(isOnRoll: isOnRoll, person: PersonKeys(records: [link.contact])), policy: policy)
    }

    /// The decision for one link. The school's rules (`policy.rules`) must be those in force on the run's
    /// date (`SafeguardingRules.active(on:)`).
    ///
    /// Order of strength: a restriction or the MIS withdrawing access always refuses; a reviewed
    /// court-order override lifts the court-order flag and stands in for parental responsibility (the
    /// orders it records grant it); an approval lifts only the looked-after or review-age hold.
    public static func decide(_ link: ContactLink, facts: LinkFacts, policy: EligibilityPolicy) -> LinkEligibility {
        // Gathered as bits, not arrays: this runs for every link of a local authority.
        var refusals = ReasonSet()
        var grounds = ReasonSet()
        let rules = policy.rules
        if !facts.isOnRoll { refusals.insert(.notOnRoll) }
        if !rules.restrictions.isEmpty, rules.restrictions.rule(for: link.pupil, person: facts.person) != nil {
            refusals.insert(.restricted)
        }
        let overridden = !rules.courtOrderOverrides.isEmpty
            && rules.courtOrderOverrides.rule(for: link.pupil, person: facts.person) != nil
        if overridden {
            grounds.insert(.override)
        } else if link.hasCourtOrder == .yes {
            refusals.insert(.courtOrder)
        }
        if link.accessWithdrawn == .yes { refusals.insert(.sourceWithdrawn) }

        let isCarer = !policy.careRelationships.isEmpty && policy.careRelationships.contains(link.relationship)
        switch link.hasParentalResponsibility {
        case .yes:
            grounds.insert(.parentalResponsibility)
        case .no where isCarer, .unknown where isCarer:
            grounds.insert(.carer)
        case _ where overridden:
            break
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

        var filtered = false
        if !policy.relationships.isEmpty, !policy.relationships.contains(link.relationship) {
            refusals.insert(.relationshipNotAllowed)
            filtered = true
        }
        // A link without a priority passes: sources such as OneRoster have none, and guessing one
        // would drop parents silently.
        if policy.maxPriority > 0, let priority = link.priority, priority > policy.maxPriority {
            refusals.insert(.priority)
            filtered = true
        }
        if facts.pupilNeedsApproval {
            if !rules.approvals.isEmpty, rules.approvals.rule(for: link.pupil, person: facts.person) != nil {
                grounds.insert(.approved)
            } else {
                refusals.insert(.awaitingApproval)
            }
        }
        let eligible = refusals.isEmpty
        var onlyFilters = ReasonSet([.relationshipNotAllowed, .priority])
        onlyFilters.formUnion(refusals)
        let dropped = filtered && link.hasParentalResponsibility == .yes
            && onlyFilters == ReasonSet([.relationshipNotAllowed, .priority])
        return LinkEligibility(
            pupil: link.pupil, contact: link.contact, isEligible: eligible,
            reasons: eligible ? grounds.sorted : refusals.sorted, filteredDespiteResponsibility: dropped)
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
