/// One contact record as identity resolution sees it: who the record names, the keys that can join it
/// to other records, and the pupils it is a contact of. Built from the roster (see
/// `IdentityRecord(contact:…)`); tests and benchmarks may build it directly.
public struct IdentityRecord: Sendable, Hashable {
    /// The record reference of DESIGN.md Part B: `<school_id>/<contact_id>`, or
    /// `<school_id>/<pupil_id>/<n>` for a source without contact ids.
    public var reference: String
    /// Which source (export file or folder) the record came from; contacts of one pupil are distinct
    /// people only within one source, since two sources may list the same parent twice.
    public var source: String
    /// The school the record belongs to.
    public var school: String
    /// The MIS contact id, when the source carries one. The same `(school, contactID)` is one person.
    public var contactID: String?
    /// The given name(s), normalised for matching (lower case, accents folded, title removed).
    public var given: String
    /// The family name, normalised for matching.
    public var family: String
    /// E-mail addresses, normalised.
    public var emails: [String]
    /// Mobile numbers in E.164.
    public var mobiles: [String]
    /// First address line and postcode, normalised and joined; nil unless both are known.
    public var address: String?
    /// References (`<school_id>/<pupil_id>`) of the pupils this record is a contact of.
    public var pupils: [String]
    /// The sex the title or the relationships state, if they agree; evidence against a merge only.
    public var sex: RecordedSex?
    /// Parent or grandparent, where the relationship says; evidence against a merge only.
    public var generation: Generation?

    public init(
        reference: String, source: String, school: String, contactID: String?, given: String,
        family: String, emails: [String] = [], mobiles: [String] = [], address: String? = nil,
        pupils: [String], sex: RecordedSex? = nil, generation: Generation? = nil
    ) {
        self.reference = reference
        self.source = source
        self.school = school
        self.contactID = contactID
        self.given = given
        self.family = family
        self.emails = emails
        self.mobiles = mobiles
        self.address = address
        self.pupils = pupils
        self.sex = sex
        self.generation = generation
    }
}

/// The sex a record states through its title (Mr, Mrs, Ms, Miss) or relationship (mother, father, …).
public enum RecordedSex: String, Sendable, Hashable {
    case female, male
}

/// Which generation a relationship places a contact in. A mother and a grandmother of the same name
/// at the same address are two people; the relationship is the only thing that tells them apart.
public enum Generation: String, Sendable, Hashable {
    case parent, grandparent
}
