import Roster

/// One person as identity resolution and eligibility decided them: the account they should have.
///
/// The planner matches it to the managed entry it already has (by `contactRefs`, else by
/// `identityKeys`) and plans the difference. Built by the run from dedupe's clusters; tests build it
/// directly.
public struct DesiredParent: Sendable, Hashable {
    /// Dedupe's stable id for the person (derived from the lowest record reference). A new entry takes it
    /// as `misParentId`; an existing entry keeps the id it was given at creation.
    public var personID: String
    /// Every source record of the person: `<school_id>/<contact_id>` or `<school_id>/<pupil_id>/<n>`.
    public var contactRefs: Set<String>
    /// The keys that find the person's entry when the references changed (CTF has no contact ids).
    /// For a person made with `init(...keysFromEmail:mobile:)`, worked out each time they are asked for.
    public var identityKeys: IdentityKeys {
        get {
            switch keys {
            case .known(let keys): keys
            case .from(let email, let mobile):
                IdentityKeys(givenName: givenName, familyName: familyName, emails: [email], mobiles: [mobile])
            }
        }
        set { keys = .known(newValue) }
    }
    private var keys: Keys

    /// The identity keys, or what they are worked out from: normalising names and contact points is a
    /// good part of building 100,000 people, and matching asks few of them for their keys (positional
    /// references, people no reference matched, revoked links).
    private enum Keys: Sendable, Hashable {
        case known(IdentityKeys)
        /// From the names above and these contact points as the sources gave them.
        case from(email: String?, mobile: String?)
    }
    /// The allocator's username for a new account. An existing entry's `uid` always wins: usernames never
    /// change once given.
    public var username: String
    /// `givenName`, in display form.
    public var givenName: String
    /// `sn`, in display form.
    public var familyName: String
    /// `displayName` and `cn`.
    public var displayName: String
    /// The e-mail address to publish, when known.
    public var mail: String?
    /// The mobile number to publish (E.164), when known.
    public var mobile: String?
    /// Every pupil link the sources list for the person, eligible or not.
    public var links: [DesiredLink]

    public init(
        personID: String, contactRefs: Set<String>, identityKeys: IdentityKeys, username: String,
        givenName: String, familyName: String, displayName: String, mail: String? = nil,
        mobile: String? = nil, links: [DesiredLink]
    ) {
        self.init(
            personID: personID, contactRefs: contactRefs, keys: .known(identityKeys), username: username, givenName: givenName,
            familyName: familyName, displayName: displayName, mail: mail, mobile: mobile, links: links)
    }

    /// A person whose identity keys are worked out from their names and `email` and `keyMobile` (the
    /// contact points as the sources gave them, before `mail` and `mobile` leave out what the directory
    /// cannot hold) only when asked for.
    public init(
        personID: String, contactRefs: Set<String>, username: String, givenName: String, familyName: String,
        displayName: String, mail: String?, mobile: String?, links: [DesiredLink], keysFromEmail email: String?, mobile keyMobile: String?
    ) {
        self.init(
            personID: personID, contactRefs: contactRefs, keys: .from(email: email, mobile: keyMobile), username: username,
            givenName: givenName, familyName: familyName, displayName: displayName, mail: mail, mobile: mobile, links: links)
    }

    private init(
        personID: String, contactRefs: Set<String>, keys: Keys, username: String, givenName: String, familyName: String,
        displayName: String, mail: String?, mobile: String?, links: [DesiredLink]
    ) {
        self.personID = personID
        self.contactRefs = contactRefs
        self.keys = keys
        self.username = username
        self.givenName = givenName
        self.familyName = familyName
        self.displayName = displayName
        self.mail = mail
        self.mobile = mobile
        self.links = links
    }

    /// The contact points the identity keys are worked out from, as the sources gave them (see
    /// `init(...keysFromEmail:mobile:)`); nil for a person made with its keys. What a copy of the person
    /// kept between runs needs to be made again alike.
    public var keySources: (email: String?, mobile: String?)? {
        if case .from(let email, let mobile) = keys { return (email, mobile) }
        return nil
    }

    /// The schools the person has records or children at.
    public var schools: Set<String> {
        Set(contactRefs.map(schoolOf) + links.map { schoolOf($0.pupilRef) })
    }
}

/// The keys that identify a person across a change of record references: the same normalised e-mail or
/// mobile, together with the same name.
public struct IdentityKeys: Sendable, Hashable {
    /// Normalised e-mail addresses (see `EmailNormaliser`).
    public var emails: Set<String>
    /// Mobile numbers in E.164 (see `PhoneNormaliser`).
    public var mobiles: Set<String>
    /// Given and family name folded for matching; empty when the name folds to nothing.
    public var nameKey: String

    public init(emails: Set<String>, mobiles: Set<String>, nameKey: String) {
        self.emails = emails
        self.mobiles = mobiles
        self.nameKey = nameKey
    }

    /// Keys from raw names and contact points, normalised the same way for the sources and for the
    /// directory, so that a person and their entry compare alike.
    public init(givenName: String?, familyName: String?, emails: [String?], mobiles: [String?]) {
        self.emails = Set(emails.compactMap { EmailNormaliser.normalise($0) })
        self.mobiles = Set(mobiles.compactMap { PhoneNormaliser.e164($0) })
        self.nameKey = Self.nameKey(givenName: givenName, familyName: familyName)
    }

    /// The name part of the keys: given and family name match keys joined by a bar.
    public static func nameKey(givenName: String?, familyName: String?) -> String {
        let given = NameNormaliser.matchKey(givenName)
        let family = NameNormaliser.matchKey(familyName)
        guard !given.isEmpty || !family.isEmpty else { return "" }
        return given + "|" + family
    }
}
