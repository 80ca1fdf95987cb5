/// A contact's relationship to a pupil, normalised to the list of DESIGN.md Part B.
///
/// The raw value the source wrote (`PAM`, `Mum`, `guardian`) is kept beside it on the `ContactLink`;
/// `policy.relationships` and `care_relationships` name these raw values.
public enum Relationship: String, Sendable, Hashable, Codable, CaseIterable {
    case mother
    case father
    case stepMother = "step-mother"
    case stepFather = "step-father"
    case grandmother
    case grandfather
    case grandparent
    case aunt
    case uncle
    case sibling
    case fosterCarer = "foster-carer"
    case kinshipCarer = "kinship-carer"
    case guardian
    case carer
    case other
    /// The source says nothing, or something that does not name one of the above (a OneRoster `parent`).
    case unknown
}
