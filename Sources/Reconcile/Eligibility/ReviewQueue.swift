import Roster

/// One link the school office must decide on: its only refusals are that it waits for a review
/// (parental responsibility unknown under `review`) or an approval (a looked-after pupil, or one at
/// `review_age`). It gets no account or link until then.
public struct ReviewItem: Sendable, Hashable, Codable {
    /// `<school_id>/<pupil_id>`.
    public var pupil: String
    /// `<school_id>/<contact_id>` (or positional, for sources without ids).
    public var contact: String
    /// The person's name as the MIS gives it.
    public var name: String
    /// Dedupe's id for the person.
    public var parentID: String
    /// `awaiting-review` and/or `awaiting-approval`.
    public var reasons: [ReasonCode]

    public init(pupil: String, contact: String, name: String, parentID: String, reasons: [ReasonCode]) {
        self.pupil = pupil
        self.contact = contact
        self.name = name
        self.parentID = parentID
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey {
        case pupil, contact, name, reasons
        case parentID = "parent_id"
    }
}

/// The review report and the filter warnings, from eligibility's decisions.
public enum ReviewQueue {
    /// The refusals that only mean "someone at the school has to decide".
    static let waiting = ReasonSet([.awaitingReview, .awaitingApproval])

    /// Every link waiting for a decision and for nothing else, by pupil then contact.
    public static func items(_ parents: [Parent]) -> [ReviewItem] {
        var items: [ReviewItem] = []
        for parent in parents {
            for link in parent.links where !link.isEligible {
                var union = waiting
                union.formUnion(ReasonSet(link.reasons))
                guard union == waiting else { continue }
                items.append(ReviewItem(
                    pupil: link.pupil.description, contact: link.contact.description, name: parent.displayName,
                    parentID: parent.id, reasons: link.reasons))
            }
        }
        return items.sorted { ($0.pupil, $0.contact) < ($1.pupil, $1.contact) }
    }

    /// A warning for each link of a contact with parental responsibility that only an operational filter
    /// (`relationships`, `max_priority`) drops: the law still counts them a parent.
    public static func filterWarnings(_ parents: [Parent]) -> [PlanWarning] {
        parents.flatMap { parent in
            parent.links.filter(\.filteredDespiteResponsibility).map { link in
                let filters = link.reasons.map(\.rawValue).joined(separator: " and ")
                return PlanWarning(
                    code: .parentFiltered,
                    message: "\(parent.displayName) (\(link.contact)) has parental responsibility for \(link.pupil) "
                        + "but gets no link because of \(filters) (policy.relationships / policy.max_priority): "
                        + "an operational filter, not legal status; they are still a parent in law")
            }
        }
    }
}
