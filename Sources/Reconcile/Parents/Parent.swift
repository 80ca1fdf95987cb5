import Roster

/// One person who is a contact of one or more pupils, with everything the records say about them
/// resolved: the output of identity resolution and eligibility together.
public struct Parent: Sendable, Hashable {
    /// Stable without a directory: the lowest record reference.
    public var id: String
    /// Display name from the highest-priority link's record ("Jane Smith").
    public var givenName: String
    public var familyName: String
    /// Every record joined into this person, sorted.
    public var records: [ContactReference]
    /// Every pupil the person is a contact of, sorted.
    public var children: [PupilReference]
    /// The decision for each link, by pupil then record.
    public var links: [LinkEligibility]
    /// Whether the person gets an account (at least one link is eligible).
    public var isEligible: Bool
    public var reasons: [ReasonCode]
    /// The keys that joined the records.
    public var matchedOn: [MatchKey]
    /// The e-mail address and mobile number to use: those of the highest-priority link's record.
    public var email: String?
    public var mobile: String?

    /// "Jane Smith", or the family name alone.
    public var displayName: String {
        Self.displayName(given: givenName, family: familyName)
    }

    /// `displayName` of these names (for a caller reading them in place).
    ///
    /// Joined with `+`: an interpolation reserves a heap buffer even when the result fits a small string
    /// (most names do), an allocation per person on the allocator that a run's two halves share.
    @inline(__always)
    public static func displayName(given: String, family: String) -> String {
        given.isEmpty ? family : given + " " + family
    }
}

/// One source as identity resolution needs it: a name for it and what it holds.
public struct RosterSource: Sendable {
    /// The source's path as the config gives it: records of one pupil are distinct people within it.
    public var name: String
    public var roster: Roster

    public init(name: String, roster: Roster) {
        self.name = name
        self.roster = roster
    }
}

/// The result of `ParentResolver.resolve`: the people, what to check, and the warnings.
public struct ParentResolution: Sendable, Hashable {
    /// Sorted by id.
    public var parents: [Parent]
    public var nearMisses: [NearMiss]
    public var warnings: [DedupeWarning]
}
