/// One contact record in one source: a person as the MIS holds them, without the facts of any one
/// pupil–contact pair (those live on `ContactLink`).
///
/// The same person may be several `Contact`s (one per school, or one per pupil in a CTF); identity
/// resolution (dedupe) joins them.
public struct Contact: Sendable, Hashable, Codable {
    /// `<school_id>/<contact_id>`, or `<school_id>/<pupil_id>/<n>` when the source has no contact ids.
    public var reference: ContactReference
    /// Where the contact's (first) record is in the source.
    public var origin: SourceLocation
    /// The name, display form (accents kept, shouting title-cased).
    public var name: PersonName
    /// E-mail addresses in the source's order.
    public var emails: [EmailAddress]
    /// Phone numbers in the source's order.
    public var phones: [PhoneNumber]
    /// Used for matching only.
    public var address: PostalAddress?

    public init(
        reference: ContactReference, origin: SourceLocation, name: PersonName,
        emails: [EmailAddress] = [], phones: [PhoneNumber] = [], address: PostalAddress? = nil
    ) {
        self.reference = reference
        self.origin = origin
        self.name = name
        self.emails = emails
        self.phones = phones
        self.address = address
    }
}
