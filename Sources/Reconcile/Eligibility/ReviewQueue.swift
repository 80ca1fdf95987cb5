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
        forEachLink(of: parents, where: { !$0.pointee.isEligible }) { parent, link in
            var union = waiting
            union.formUnion(ReasonSet(link.pointee.reasons))
            guard union == waiting else { return }
            items.append(ReviewItem(
                pupil: link.pointee.pupil.description, contact: link.pointee.contact.description, name: parent.pointee.displayName,
                parentID: parent.pointee.id, reasons: link.pointee.reasons))
        }
        return items.sorted { ($0.pupil, $0.contact) < ($1.pupil, $1.contact) }
    }

    /// A warning for each link of a contact with parental responsibility that only an operational filter
    /// (`relationships`, `max_priority`) drops: the law still counts them a parent.
    public static func filterWarnings(_ parents: [Parent]) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        forEachLink(of: parents, where: { $0.pointee.filteredDespiteResponsibility }) { parent, link in
            let filters = link.pointee.reasons.map(\.rawValue).joined(separator: " and ")
            warnings.append(PlanWarning(
                code: .parentFiltered,
                message: "\(parent.pointee.displayName) (\(link.pointee.contact)) has parental responsibility for \(link.pointee.pupil) "
                    + "but gets no link because of \(filters) (policy.relationships / policy.max_priority): "
                    + "an operational filter, not legal status; they are still a parent in law"))
        }
        return warnings
    }

    /// Calls `body` with each link for which `test` holds and its person, people and links in order.
    /// Both are read where they lie: a person or a link taken out of its array is a copy (a retain and a
    /// release of each of its values), and a run has 100,000 people, nearly none of whom `body` is for.
    private static func forEachLink(
        of parents: [Parent], where test: (UnsafePointer<LinkEligibility>) -> Bool,
        _ body: (UnsafePointer<Parent>, UnsafePointer<LinkEligibility>) -> Void
    ) {
        parents.withUnsafeBufferPointer { buffer in
            guard let people = buffer.baseAddress else { return }
            for person in 0..<buffer.count {
                // The links alone (a retain): a method of the pointee would copy the whole person.
                let links = people[person].links
                links.withUnsafeBufferPointer { linkBuffer in
                    guard let base = linkBuffer.baseAddress else { return }
                    for link in 0..<linkBuffer.count where test(base + link) { body(people + person, base + link) }
                }
            }
        }
    }
}
