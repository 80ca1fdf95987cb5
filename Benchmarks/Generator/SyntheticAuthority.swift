import Roster

/// A synthetic local authority: families spread over several schools and export formats, with the
/// noise real MIS exports carry, and the ground truth of who is who. For benchmarks (dedupe quality and
/// speed now; reading, planning and applying later), never for tests that assert exact values.
public struct SyntheticAuthority: Sendable {
    /// One school's export as a reader would return it.
    public struct Source: Sendable {
        /// The export's name (`school-3.xml`), unique per source.
        public var name: String
        /// Whether the format carries contact ids (canonical CSV, Arbor, Bromcom) or not (CTF, flat CSV).
        public var hasContactIDs: Bool
        public var roster: Roster
    }

    public var sources: [Source]
    /// Ground truth: each record reference (`ContactReference.description`) → the real person's number.
    public var personOfRecord: [String: Int]
    /// How many real people the records describe.
    public var people: Int

    /// Every contact record across the sources.
    public var recordCount: Int { sources.reduce(0) { $0 + $1.roster.contacts.count } }
}

/// How much of each kind of noise the generator puts in. Rates are per record unless said otherwise.
public struct NoiseSettings: Sendable {
    /// A nickname instead of the full given name (Chris for Christopher).
    public var nickname = 0.05
    /// The whole name typed in capitals.
    public var upperCase = 0.10
    /// Accents dropped from a name that has them (Zoe for Zoë).
    public var lostAccents = 0.5
    /// A title typed into the forename field (Mrs Jane).
    public var titleInForename = 0.04
    /// Two neighbouring letters of the given name swapped.
    public var typo = 0.02
    /// No e-mail, no mobile, no address on the record.
    public var missingEmail = 0.15
    public var missingMobile = 0.15
    public var missingAddress = 0.05
    /// "St" for "Street" and the like.
    public var abbreviatedStreet = 0.2
    /// Per family: both parents give one family e-mail address.
    public var sharedFamilyEmail = 0.15
    /// Per person and school: an old e-mail address (the person changed it at one school only).
    public var staleEmail = 0.03
    /// Per family: the parents live apart (the father at his own address, with his own details).
    public var separated = 0.25
    /// Per family: a grandfather with the father's given name lives at the same address and is a contact.
    public var grandfatherNamesake = 0.03
    /// Per family: a grandmother is a contact too.
    public var grandmother = 0.15
    /// Per family: twins.
    public var twins = 0.02

    public init() {}
}

/// What to generate.
public struct GeneratorSettings: Sendable {
    /// Pupils across the authority; contact records come to about 1.7 per pupil.
    public var pupils: Int
    /// Schools; each child of a family goes to one of them (siblings often to different ones).
    public var schools: Int
    /// One school in this many exports a CTF (no contact ids, every pupil lists its own contacts).
    public var everyNthSchoolWithoutContactIDs: Int
    public var noise: NoiseSettings
    /// The same seed gives the same authority.
    public var seed: UInt64
    /// Whether to record the ground truth (`personOfRecord`); a speed run does not need it.
    public var keepsTruth = true

    public init(pupils: Int, schools: Int = 40, everyNthSchoolWithoutContactIDs: Int = 3, noise: NoiseSettings = NoiseSettings(), seed: UInt64 = 4) {
        self.pupils = pupils
        self.schools = schools
        self.everyNthSchoolWithoutContactIDs = everyNthSchoolWithoutContactIDs
        self.noise = noise
        self.seed = seed
    }
}
