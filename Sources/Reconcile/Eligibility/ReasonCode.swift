/// Why a link or a person may, or may not, hold an account (DESIGN.md Part B, "Reason codes").
///
/// Reasons are data: reports, JSON, the audit log and tests all use these values, and the raw value is
/// the code that scripts see. The codes never change; `policy.jurisdiction` may change only the words.
public enum ReasonCode: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    // Grounds for access.
    case parentalResponsibility = "parental-responsibility"
    case carer = "carer"
    case override = "override"
    case approved = "approved"
    // Grounds for refusing access.
    case courtOrder = "court-order"
    case noParentalResponsibility = "no-parental-responsibility"
    case parentalResponsibilityUnknown = "parental-responsibility-unknown"
    case relationshipNotAllowed = "relationship-not-allowed"
    case priority = "priority"
    case sourceWithdrawn = "source-withdrawn"
    case notOnRoll = "not-on-roll"
    case restricted = "restricted"
    case awaitingApproval = "awaiting-approval"
    case awaitingReview = "awaiting-review"

    /// Whether this reason grants access (as opposed to refusing it).
    public var grantsAccess: Bool {
        switch self {
        case .parentalResponsibility, .carer, .override, .approved: true
        default: false
        }
    }

    /// Reasons sort in declaration order, so every report lists them the same way.
    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The reason in plain words for the school office, in the wording of `jurisdiction`.
    public func description(in jurisdiction: Jurisdiction) -> String {
        switch self {
        case .parentalResponsibility:
            jurisdiction == .scotland ? "has parental responsibilities and rights" : "has parental responsibility"
        case .carer:
            switch jurisdiction {
            case .scotland:
                "has care of the child (a relationship the school counts as care): a parent under s135 Education "
                    + "(Scotland) Act 1980"
            case .england, .wales, .unspecified:
                "has care of the child (a relationship the school counts as care): a parent under s576 Education "
                    + "Act 1996"
            }
        case .override:
            "a court order the school has reviewed grants this person rights (special guardianship, lives-with)"
        case .approved:
            "the school approved this link (looked-after pupil, or pupil at the review age)"
        case .courtOrder:
            switch jurisdiction {
            case .scotland:
                "a court order is recorded for this contact (e.g. a section 11 order): no access until someone "
                    + "reviews what the order says and records an override"
            case .england, .wales, .unspecified:
                "a court order is recorded for this contact: no access until someone reviews what the order says "
                    + "and records an override (it may restrict, or grant, parental responsibility)"
            }
        case .noParentalResponsibility:
            switch jurisdiction {
            case .scotland:
                "no parental responsibilities recorded; may still be a parent under s135 Education (Scotland) "
                    + "Act 1980, so provide the statutory information another way"
            case .england, .wales, .unspecified:
                "no parental responsibility recorded; may still be a parent under s576 Education Act 1996, "
                    + "so provide the statutory information another way"
            }
        case .parentalResponsibilityUnknown:
            "the MIS does not say whether this contact has parental responsibility"
        case .relationshipNotAllowed:
            "relationship not in the school's allowed list (an operational filter, not legal status)"
        case .priority:
            "contact priority beyond the school's limit (an operational filter, not legal status)"
        case .sourceWithdrawn:
            "the MIS says this contact must not have access"
        case .notOnRoll:
            "the pupil is no longer on roll"
        case .restricted:
            "the school has restricted this contact's access to this pupil (policy.restrictions)"
        case .awaitingApproval:
            switch jurisdiction {
            case .scotland:
                "needs the school's approval: the pupil is looked after, or old enough (review_age; a child of 12 "
                    + "is presumed able to decide about their own data) that parents' access needs a decision"
            case .england, .wales, .unspecified:
                "needs the school's approval: the pupil is looked after, or at the review age, so parents' access "
                    + "needs a decision"
            }
        case .awaitingReview:
            "parental responsibility unknown: waiting for the school office to review (no account until then)"
        }
    }

    /// The reason in plain words, with the neutral wording.
    public var description: String { description(in: .unspecified) }
}

/// The legal system whose words the reasons use (`policy.jurisdiction`).
public enum Jurisdiction: String, Sendable, Hashable, CaseIterable, Codable {
    case england, wales, scotland
    /// No jurisdiction configured: the England and Wales wording, which most schools will expect.
    case unspecified
}
