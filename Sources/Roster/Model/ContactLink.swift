/// The facts of one pupil–contact pair. Every MIS stores these per pair: the same person can be
/// "mother, parental responsibility, priority 1" for one child and "other relative" for another.
public struct ContactLink: Sendable, Hashable, Codable {
    /// The pupil of the pair.
    public var pupil: PupilReference
    /// The contact record of the pair.
    public var contact: ContactReference
    /// Where the link's record is in the source.
    public var origin: SourceLocation
    /// The relationship as the source wrote it (`PAM`, `Mum`, `guardian`), or `nil` when blank.
    public var relationshipRaw: String?
    /// The relationship normalised to DESIGN.md Part B's list.
    public var relationship: Relationship
    /// Contact priority, 1 = first; `nil` when the source has none (OneRoster, SDS) or left it blank.
    public var priority: Int?
    /// Whether the contact has parental responsibility for this pupil.
    public var hasParentalResponsibility: TriState
    /// Whether a court order restricts this contact's access to this pupil.
    public var hasCourtOrder: TriState
    /// Whether the contact lives with the pupil (CTF: `AddressAsPupil`).
    public var livesWithPupil: TriState
    /// The source says this contact must not have access (OneRoster `enabledUser=false`, the canonical
    /// `access_withdrawn` column).
    public var accessWithdrawn: TriState

    public init(
        pupil: PupilReference, contact: ContactReference, origin: SourceLocation,
        relationshipRaw: String? = nil, relationship: Relationship = .unknown, priority: Int? = nil,
        hasParentalResponsibility: TriState = .unknown, hasCourtOrder: TriState = .unknown,
        livesWithPupil: TriState = .unknown, accessWithdrawn: TriState = .unknown
    ) {
        self.pupil = pupil
        self.contact = contact
        self.origin = origin
        self.relationshipRaw = relationshipRaw
        self.relationship = relationship
        self.priority = priority
        self.hasParentalResponsibility = hasParentalResponsibility
        self.hasCourtOrder = hasCourtOrder
        self.livesWithPupil = livesWithPupil
        self.accessWithdrawn = accessWithdrawn
    }
}
