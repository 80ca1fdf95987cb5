/// One pupil link of a desired parent, with eligibility's verdict.
public struct DesiredLink: Sendable, Hashable {
    /// `<school_id>/<pupil_id>`, as stored in `misChildRef`.
    public var pupilRef: String
    /// The DN of the pupil's own entry under `pupils_base`, where it was found (`misChild`).
    public var pupilDN: String?
    /// Whether the parent may see this child.
    public var eligible: Bool
    /// Why (grants when eligible, refusals when not).
    public var reasons: [ReasonCode]
    /// What losing this link means when it is not eligible. Ignored for eligible links.
    public var loss: LinkLoss

    /// A link whose loss is classified from its reasons (see `LinkLoss.init(reasons:)`).
    public init(pupilRef: String, pupilDN: String? = nil, eligible: Bool, reasons: [ReasonCode]) {
        self.init(
            pupilRef: pupilRef, pupilDN: pupilDN, eligible: eligible, reasons: reasons,
            loss: LinkLoss(reasons: reasons))
    }

    public init(pupilRef: String, pupilDN: String?, eligible: Bool, reasons: [ReasonCode], loss: LinkLoss) {
        self.pupilRef = pupilRef
        self.pupilDN = pupilDN
        self.eligible = eligible
        self.reasons = reasons
        self.loss = loss
    }

    /// True when the sources revoke this link: it goes in this run whatever the safety gates say.
    var isRevoked: Bool { !eligible && loss == .revocation }
}

/// Why an ineligible link goes, which decides whether a safety gate may hold its removal.
public enum LinkLoss: String, Sendable, Hashable, Codable {
    /// The sources say this contact must not see this child (court order, no parental responsibility,
    /// access withdrawn, restricted by the school). Never held.
    case revocation
    /// Anything else: the pupil or contact left the export or the roll, or a policy filter no longer
    /// lets the link through. A broken export looks exactly like this, so the gates may hold it.
    case disappearance

    /// A revocation when any reason revokes access, else a disappearance.
    public init(reasons: [ReasonCode]) {
        self = reasons.contains(where: \.revokesAccess) ? .revocation : .disappearance
    }
}

extension ReasonCode {
    /// The refusals that are a statement that the contact must not have access, as opposed to the
    /// absence of a reason to grant it (DESIGN.md Part A, "Revocation is immediate").
    public var revokesAccess: Bool {
        switch self {
        case .courtOrder, .noParentalResponsibility, .sourceWithdrawn, .restricted: true
        default: false
        }
    }
}
