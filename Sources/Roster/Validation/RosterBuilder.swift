/// Collects one source's records as a reader finds them, and applies the validation rules every
/// format shares: duplicate rows for one pupil and contact merge with a warning, the first of
/// conflicting copies of a pupil or contact wins with a warning, errors are collected up to a limit,
/// and a source without a pupil is an error.
public struct RosterBuilder {
    /// Enough to show a school office every broken row of a typical export in one run, not so many
    /// that a file in the wrong format floods the terminal.
    public static let defaultErrorLimit = 100

    public private(set) var roster = Roster()
    public private(set) var errors: [RosterError] = []
    public private(set) var errorsTruncated = false
    private let errorLimit: Int

    // Positions in `roster`'s arrays by a hash of their keys (`PositionIndex`: no SipHash, no copy of
    // every key).
    private var pupilIndex = PositionIndex()
    private var contactIndex = PositionIndex()
    private var linkIndex = PositionIndex()
    /// Each link's pupil and contact positions (`LinkKey.packed`), by the link's position; `UInt64.max`
    /// for a link whose pupil or contact was never added.
    private var linkKeys: [UInt64] = []
    private var positionalContacts: [PositionalKey: ContactReference] = [:]
    private var contactCount: [PupilReference: Int] = [:]

    /// A pair by the positions of its pupil and contact: two integers hash far faster than four strings,
    /// and every row of a one-row-per-link export adds a link.
    private struct LinkKey {
        var pupil: Int
        var contact: Int

        /// Both positions in one integer (each below 2³², as `PositionIndex` positions are).
        var packed: UInt64 { UInt64(truncatingIfNeeded: pupil) << 32 | UInt64(truncatingIfNeeded: contact) }

        /// The packed positions mixed so that the high bits depend on both.
        var keyHash: UInt64 {
            var hash = packed &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            return hash &* 0xBF58_476D_1CE4_E5B9
        }
    }

    /// The record added last: a reader adds a row's pupil and contact just before its link, so these
    /// answer the link's look-ups without hashing.
    private var lastPupil: (reference: PupilReference, index: Int)?
    private var lastContact: (reference: ContactReference, index: Int)?

    /// A contact without an id is the same contact as an earlier one of the same pupil with the same name.
    private struct PositionalKey: Hashable {
        var pupil: PupilReference
        /// Match keys (`NameNormaliser.matchKey`) of the given and family names.
        var given: String
        var family: String
    }

    public init(errorLimit: Int = RosterBuilder.defaultErrorLimit) {
        self.errorLimit = max(1, errorLimit)
    }

    /// True once more errors were found than the limit keeps: a reader may stop reading.
    public var isFull: Bool { errorsTruncated }

    /// Records an error, or notes that there were more than the limit.
    public mutating func record(_ error: RosterError) {
        if errors.count < errorLimit {
            errors.append(error)
        } else {
            errorsTruncated = true
        }
    }

    /// Records a warning; warnings never stop a source.
    public mutating func warn(_ code: RosterWarning.Code, _ message: String, at location: SourceLocation?) {
        roster.warnings.append(RosterWarning(code, message, at: location))
    }

    /// Makes room for `records` more contacts and links (a large file about to be read).
    mutating func reserveCapacity(records: Int) {
        roster.contacts.reserveCapacity(roster.contacts.count + records)
        roster.links.reserveCapacity(roster.links.count + records)
        contactIndex.reserveCapacity(contactIndex.count + records)
        linkIndex.reserveCapacity(linkIndex.count + records)
        linkKeys.reserveCapacity(linkKeys.count + records)
    }

    /// Appends a warning made elsewhere (a `RosterLog` replayed).
    mutating func append(_ warning: RosterWarning) {
        roster.warnings.append(warning)
    }

    /// Adds a pupil. A later copy fills what the first left blank; where they disagree the first is
    /// kept and a warning names the fields.
    // Inlined into the readers' row loops: called once a row each (≈ 33 M of 4.8 G instructions for
    // a local authority's 400 files, callgrind).
    @inline(__always)
    public mutating func add(_ pupil: consuming Pupil) {
        let index: Int
        // The look-ups need the reference only; the record itself is moved into the roster (`consume`).
        let reference = pupil.reference
        if let lastPupil, lastPupil.reference == reference {
            index = lastPupil.index
        } else if let existing = pupilIndex.find(
            hash: reference.keyHash, in: roster.pupils, orFileNext: { $0.reference == reference })
        {
            index = existing
        } else {
            lastPupil = (reference, roster.pupils.count)
            roster.pupils.append(consume pupil)
            return
        }
        lastPupil = (reference, index)
        // A copy identical but for its line (every row of a one-row-per-link export repeats its pupil)
        // would merge to the same pupil with no conflict: skip the field-by-field merge.
        if Self.sameButOrigin(roster.pupils[index], pupil) { return }
        let (merged, conflicts) = RecordMerge.pupil(roster.pupils[index], pupil)
        roster.pupils[index] = merged
        if !conflicts.isEmpty {
            warn(
                .conflictingPupil,
                "pupil \(pupil.reference) appears again with another \(conflicts.joined(separator: ", ")); "
                    + "the first, at \(merged.origin), is kept",
                at: pupil.origin)
        }
    }

    private func position(of pupil: PupilReference) -> Int? {
        if let lastPupil, lastPupil.reference == pupil { return lastPupil.index }
        return pupilIndex.find(hash: pupil.keyHash, matches: { roster.pupils[$0].reference == pupil })
    }

    private func position(of contact: ContactReference) -> Int? {
        if let lastContact, lastContact.reference == contact { return lastContact.index }
        return contactIndex.find(hash: contact.keyHash, matches: { roster.contacts[$0].reference == contact })
    }

    /// The reference of a contact the source gives no id for: its position among the pupil's contacts,
    /// or the position of an earlier contact of this pupil with the same name (a duplicate row).
    public mutating func positionalReference(for pupil: PupilReference, name: PersonName) -> ContactReference {
        let key = PositionalKey(
            pupil: pupil, given: NameNormaliser.matchKey(name.given), family: NameNormaliser.matchKey(name.family))
        if let existing = positionalContacts[key] { return existing }
        let position = (contactCount[pupil] ?? 0) + 1
        contactCount[pupil] = position
        let reference = ContactReference.position(position, of: pupil)
        positionalContacts[key] = reference
        return reference
    }

    /// Adds a contact. A later copy fills what the first left blank; where they disagree the first is
    /// kept and a warning names the fields.
    // Inlined into the readers' row loops: called once a row each (≈ 33 M of 4.8 G instructions for
    // a local authority's 400 files, callgrind).
    @inline(__always)
    public mutating func add(_ contact: consuming Contact) {
        let index: Int
        // The look-ups need the reference only; the record itself is moved into the roster (`consume`).
        let reference = contact.reference
        if let lastContact, lastContact.reference == reference {
            index = lastContact.index
        } else if let existing = contactIndex.find(
            hash: reference.keyHash, in: roster.contacts, orFileNext: { $0.reference == reference })
        {
            index = existing
        } else {
            lastContact = (reference, roster.contacts.count)
            roster.contacts.append(consume contact)
            return
        }
        lastContact = (reference, index)
        if Self.sameButOrigin(roster.contacts[index], contact) { return }
        let (merged, conflicts) = RecordMerge.contact(roster.contacts[index], contact)
        roster.contacts[index] = merged
        if !conflicts.isEmpty {
            warn(
                .conflictingContact,
                "contact \(contact.reference) appears again with another \(conflicts.joined(separator: ", ")); "
                    + "the first, at \(merged.origin), is kept",
                at: contact.origin)
        }
    }

    private static func sameButOrigin(_ first: Pupil, _ later: Pupil) -> Bool {
        var later = later
        later.origin = first.origin
        return later == first
    }

    private static func sameButOrigin(_ first: Contact, _ later: Contact) -> Bool {
        var later = later
        later.origin = first.origin
        return later == first
    }

    /// Adds a link; a second one for the same pupil and contact is merged into the first with a warning.
    /// Its pupil and contact are added first; a link to records never added is kept as it is.
    // Inlined into the readers' row loops: called once a row each (≈ 33 M of 4.8 G instructions for
    // a local authority's 400 files, callgrind).
    @inline(__always)
    public mutating func add(_ link: consuming ContactLink) {
        guard let pupil = position(of: link.pupil), let contact = position(of: link.contact) else {
            linkKeys.append(.max)
            roster.links.append(consume link)
            return
        }
        let key = LinkKey(pupil: pupil, contact: contact)
        let packed = key.packed
        guard let index = linkIndex.find(hash: key.keyHash, in: linkKeys, orFileNext: { $0 == packed }) else {
            linkKeys.append(packed)
            roster.links.append(consume link)
            return
        }
        let first = roster.links[index]
        roster.links[index] = Self.merged(first, link)
        warn(
            .duplicateLink,
            "pupil \(link.pupil) and contact \(link.contact) appear again (first at \(first.origin)); merged",
            at: link.origin)
    }

    /// Two records of one pupil–contact pair made one. Where they disagree the restrictive value wins, so
    /// a duplicate row can never widen access: a court order or a withdrawal on either stands, and
    /// parental responsibility stands only if neither says no.
    static func merged(_ first: ContactLink, _ second: ContactLink) -> ContactLink {
        var link = first
        if link.relationshipRaw == nil {
            link.relationshipRaw = second.relationshipRaw
            link.relationship = second.relationship
        }
        link.priority = [first.priority, second.priority].compactMap { $0 }.min()
        link.hasParentalResponsibility = restrictive(first.hasParentalResponsibility, second.hasParentalResponsibility, wins: .no)
        link.hasCourtOrder = restrictive(first.hasCourtOrder, second.hasCourtOrder, wins: .yes)
        link.accessWithdrawn = restrictive(first.accessWithdrawn, second.accessWithdrawn, wins: .yes)
        link.livesWithPupil = first.livesWithPupil == .unknown ? second.livesWithPupil
            : (second.livesWithPupil == .unknown || second.livesWithPupil == first.livesWithPupil ? first.livesWithPupil : .unknown)
        return link
    }

    private static func restrictive(_ first: TriState, _ second: TriState, wins: TriState) -> TriState {
        if first == wins || second == wins { return wins }
        return first == .unknown ? second : first
    }

    /// The roster, or every error found. `source` locates the "no pupil" error.
    public func finish(source: SourceLocation) throws(RosterErrors) -> Roster {
        var errors = self.errors
        if errors.isEmpty, roster.pupils.isEmpty {
            errors.append(RosterError(.noPupils, at: source))
        }
        guard errors.isEmpty else {
            throw RosterErrors(errors: errors, truncated: errorsTruncated, warnings: roster.warnings)
        }
        // The arrays grew by doubling while reading: a school's few hundred pupils, contacts and links
        // left 15–70 % of each array unused, 65 MB of a local authority's 260 MB of rosters, held
        // through identity resolution. Copied at their size once, here.
        var roster = roster
        roster.pupils = Self.atItsSize(roster.pupils)
        roster.contacts = Self.atItsSize(roster.contacts)
        roster.links = Self.atItsSize(roster.links)
        return roster
    }

    /// `array`, in a buffer of its own size when more than a fifth of the one it is in is unused (copying
    /// costs a retain and a release of each value: a small saving is not worth it).
    static func atItsSize<Element>(_ array: [Element]) -> [Element] {
        guard array.capacity - array.count > array.count / 4 + 4 else { return array }
        return array.withUnsafeBufferPointer { Array($0) }
    }
}
