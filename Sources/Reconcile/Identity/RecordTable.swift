import Roster

/// Identity resolution's records as columns, their values numbered: each distinct name, e-mail address,
/// mobile number, address, school and source is kept once as text and every record holds only its
/// number. Blocking then groups records by number (no string is hashed or compared there), names are
/// tokenised and compared once per distinct name rather than per record, and a record is a dozen
/// integers rather than a dozen strings and arrays to build, retain and free. The texts are read only
/// to explain (warnings) and to give references back.
///
/// Built straight from the roster by `ParentResolver` (`append(contact:…)`), or from public
/// `IdentityRecord`s (`init(_:)`), which gives the same table for the same records.
struct RecordTable: Sendable {
    /// Distinct texts numbered in the order they first appear.
    struct Interner: Sendable {
        private(set) var texts: [String] = []
        private var numbers: [String: Int32] = [:]
        /// The last text numbered, answered without hashing: a source's contacts are mostly of one school.
        private var last: (text: String, number: Int32)?

        init() {}

        /// Room for this many distinct texts, so that the look-up is not rebuilt as it grows.
        mutating func reserveCapacity(_ count: Int) { numbers.reserveCapacity(count) }

        /// The text's number, numbering it when new. Texts equal as strings (`==`) share a number.
        mutating func number(_ text: String) -> Int32 {
            // A table finished (`forgetLookUp`) and then added to looks its texts up again.
            if numbers.count < texts.count {
                for (number, text) in texts.enumerated() where numbers[text] == nil { numbers[text] = Int32(number) }
            }
            let new = Int32(texts.count)
            let number = numbers.number(for: text, filing: new)
            if number == new { texts.append(text) }
            return number
        }

        /// `number`, first comparing with the text numbered last.
        mutating func numberRepeating(_ text: String) -> Int32 {
            if let last, last.text == text { return last.number }
            let known = number(text)
            last = (text, known)
            return known
        }

        /// Texts already numbered elsewhere, with no look-up: nothing more is numbered in it.
        init(texts: [String]) { self.texts = texts }

        /// Frees the look-up once nothing more is numbered; the texts stay.
        mutating func forgetLookUp() {
            numbers = [:]
            last = nil
        }

        subscript(number: Int32) -> String { texts[Int(number)] }

        var count: Int { texts.count }
    }

    /// No address: the value of `address` for a record without one.
    static let none: Int32 = -1

    private(set) var references: [String] = []
    private(set) var contactIDs: [String?] = []
    private(set) var source: [Int32] = []
    private(set) var school: [Int32] = []
    /// Numbers in `names`: the given name(s) and the family name in their match forms.
    private(set) var given: [Int32] = []
    private(set) var family: [Int32] = []
    /// Numbers in `addresses`, or `none`.
    private(set) var address: [Int32] = []
    /// Record `i`'s e-mails are `emailFlat[emailStart[i]..<emailStart[i + 1]]`, numbers in `emails`; the
    /// same for mobiles.
    private(set) var emailStart: [Int32] = [0]
    private(set) var emailFlat: [Int32] = []
    private(set) var mobileStart: [Int32] = [0]
    private(set) var mobileFlat: [Int32] = []
    /// Bit 0 female, bit 1 male; bit 0 parent, bit 1 grandparent (0 when unknown or contradictory).
    private(set) var sex: [UInt8] = []
    private(set) var generation: [UInt8] = []

    private(set) var sources = Interner()
    private(set) var schools = Interner()
    private(set) var names = Interner()
    private(set) var emails = Interner()
    private(set) var mobiles = Interner()
    private(set) var addresses = Interner()
    /// While building from the roster: each raw given name's number and the title typed into it, and
    /// each raw family name's number, so that a name met again is neither split nor folded again.
    private var givenByRaw: [String: (name: Int32, typedTitle: String?)] = [:]
    private var familyByRaw: [String: Int32] = [:]
    /// The same for addresses: the number of each first line and postcode met, or `none`.
    private var addressByRaw: [RawAddress: Int32] = [:]

    private struct RawAddress: Hashable {
        let line: String
        let postcode: String
    }

    init() {}

    var count: Int { references.count }
    var indices: Range<Int> { 0..<count }

    func emails(of record: Int) -> ArraySlice<Int32> {
        emailFlat[Int(emailStart[record])..<Int(emailStart[record + 1])]
    }

    func mobiles(of record: Int) -> ArraySlice<Int32> {
        mobileFlat[Int(mobileStart[record])..<Int(mobileStart[record + 1])]
    }

    func schoolText(of record: Int) -> String { schools[school[record]] }
    func givenText(of record: Int) -> String { names[given[record]] }
    func familyText(of record: Int) -> String { names[family[record]] }

    /// Whether the record gives an e-mail, a mobile or an address.
    func hasStrongKey(_ record: Int) -> Bool {
        emailStart[record] != emailStart[record + 1] || mobileStart[record] != mobileStart[record + 1]
            || address[record] != Self.none
    }

    // MARK: Building

    /// The number of a source's name, to give `finishRecord` for each of its records.
    mutating func sourceNumber(_ name: String) -> Int32 { sources.number(name) }

    /// Adds an e-mail address to the record being built (before its `finishRecord`).
    mutating func addEmail(_ email: String) { emailFlat.append(emails.number(email)) }

    /// Adds a mobile number to the record being built.
    mutating func addMobile(_ mobile: String) { mobileFlat.append(mobiles.number(mobile)) }

    /// Adds a record, with the e-mails and mobiles added since the last.
    mutating func finishRecord(
        reference: String, contactID: String?, source: Int32, school: String, given: String, family: String,
        address: String?, sex: RecordedSex?, generation: Generation?
    ) {
        addCore(
            reference: reference, contactID: contactID, source: source, school: school, given: names.number(given),
            sex: sex, generation: generation)
        addValues(family: names.number(family), address: address.map { addresses.number($0) } ?? Self.none)
    }

    /// Adds a record's core: all but its e-mails, mobiles, family name and address (`addValues`). The two
    /// halves are built on two threads for a local authority, then joined (`init(core:values:)`).
    mutating func addCore(
        reference: String, contactID: String?, source: Int32, school: String, given: Int32, sex: RecordedSex?,
        generation: Generation?
    ) {
        references.append(reference)
        contactIDs.append(contactID)
        self.source.append(source)
        self.school.append(schools.numberRepeating(school))
        self.given.append(given)
        self.sex.append(sex.map { $0 == .female ? 1 : 2 } ?? 0)
        self.generation.append(generation.map { $0 == .parent ? 1 : 2 } ?? 0)
    }

    /// Adds a record's values: the e-mails and mobiles added since the last, its family name and its
    /// address (`none` without one).
    mutating func addValues(family: Int32, address: Int32) {
        self.family.append(family)
        self.address.append(address)
        emailStart.append(Int32(emailFlat.count))
        mobileStart.append(Int32(mobileFlat.count))
    }

    /// The core of `core` and the values of `values`, built over the same records in the same order.
    /// The family names, numbered in `values`, follow the given names' numbers: a text that is both
    /// has two numbers, one of each kind, and names are only compared with names of their kind.
    init(core: consuming RecordTable, values: consuming RecordTable) {
        self = core
        let offset = Int32(names.count)
        names = Interner(texts: names.texts + values.names.texts)
        family = values.family.map { $0 + offset }
        (address, addresses) = (values.address, values.addresses)
        (emailStart, emailFlat, emails) = (values.emailStart, values.emailFlat, values.emails)
        (mobileStart, mobileFlat, mobiles) = (values.mobileStart, values.mobileFlat, values.mobiles)
        givenByRaw = [:]
        familyByRaw = [:]
        addressByRaw = [:]
    }

    /// Room for `records` records' core (`addCore`) or values (`addValues`), and for their look-ups
    /// (roughly the number of distinct values a local authority's contacts give), so that none is
    /// rebuilt as it grows.
    mutating func reserve(_ records: Int, core: Bool) {
        reserveColumns(records, core: core)
        names.reserveCapacity(records / 4)
        if core {
            givenByRaw.reserveCapacity(records / 4)
        } else {
            emails.reserveCapacity(records)
            mobiles.reserveCapacity(records)
            addresses.reserveCapacity(records / 2)
            familyByRaw.reserveCapacity(records / 4)
            addressByRaw.reserveCapacity(records / 2)
        }
    }

    /// Room for `records` whole records (both parts' columns, no look-ups).
    mutating func reserveCapacity(_ records: Int) {
        reserveColumns(records, core: true)
        reserveColumns(records, core: false)
    }

    /// Room in the columns one part of a record fills: the core's, or the values'.
    private mutating func reserveColumns(_ records: Int, core: Bool) {
        if core {
            references.reserveCapacity(records)
            contactIDs.reserveCapacity(records)
            source.reserveCapacity(records)
            school.reserveCapacity(records)
            given.reserveCapacity(records)
            sex.reserveCapacity(records)
            generation.reserveCapacity(records)
        } else {
            family.reserveCapacity(records)
            address.reserveCapacity(records)
            emailStart.reserveCapacity(records + 1)
            emailFlat.reserveCapacity(records)
            mobileStart.reserveCapacity(records + 1)
            mobileFlat.reserveCapacity(records)
        }
    }

    /// The number of a given name as the roster has it (`MatchForm.name` of it, a title typed into it
    /// split off first), and that title.
    mutating func givenNumber(raw: String) -> (name: Int32, typedTitle: String?) {
        if let known = givenByRaw[raw] { return known }
        // Readers split a title typed into the forename; a source they could not split still matches.
        var (typedTitle, given): (String?, String) = (nil, raw)
        if given.utf8.contains(0x20) { (typedTitle, given) = NameNormaliser.splitTitle(fromGiven: given) }
        let entry = (names.number(MatchForm.name(given)), typedTitle)
        givenByRaw[raw] = entry
        return entry
    }

    /// The number of a family name as the roster has it (`MatchForm.name` of it).
    mutating func familyNumber(raw: String) -> Int32 {
        if let known = familyByRaw[raw] { return known }
        let number = names.number(MatchForm.name(raw))
        familyByRaw[raw] = number
        return number
    }

    /// The number of a roster address's match form (`MatchForm.address`), or `none` without one.
    mutating func addressNumber(_ address: PostalAddress?) -> Int32 {
        guard let address, let postcode = address.normalisedPostcode, let line = address.lines.first else { return Self.none }
        let key = RawAddress(line: line, postcode: postcode)
        if let known = addressByRaw[key] { return known }
        let number = MatchForm.address(address).map { addresses.number($0) } ?? Self.none
        addressByRaw[key] = number
        return number
    }

    /// Frees the look-ups of the values once the table is complete.
    mutating func finishBuilding() {
        addressByRaw = [:]
        givenByRaw = [:]
        familyByRaw = [:]
        sources.forgetLookUp()
        schools.forgetLookUp()
        names.forgetLookUp()
        emails.forgetLookUp()
        mobiles.forgetLookUp()
        addresses.forgetLookUp()
    }

    /// The same records in the order `order` gives (position `i` of the result is record `order[i]`).
    func permuted(_ order: [Int]) -> RecordTable {
        var result = RecordTable()
        result.reserveCapacity(order.count)
        (result.sources, result.schools, result.names) = (sources, schools, names)
        (result.emails, result.mobiles, result.addresses) = (emails, mobiles, addresses)
        for record in order {
            result.references.append(references[record])
            result.contactIDs.append(contactIDs[record])
            result.source.append(source[record])
            result.school.append(school[record])
            result.given.append(given[record])
            result.family.append(family[record])
            result.address.append(address[record])
            result.emailFlat += emails(of: record)
            result.emailStart.append(Int32(result.emailFlat.count))
            result.mobileFlat += mobiles(of: record)
            result.mobileStart.append(Int32(result.mobileFlat.count))
            result.sex.append(sex[record])
            result.generation.append(generation[record])
        }
        return result
    }
}

extension RecordTable {
    /// The table of public records, and their pupils numbered within their sources (two records share
    /// a number exactly when their sources have one name and they list the same pupil reference).
    init(_ records: [IdentityRecord]) {
        self.init()
        reserveCapacity(records.count)
        for index in records.indices {
            for email in records[index].emails { addEmail(email) }
            for mobile in records[index].mobiles { addMobile(mobile) }
            finishRecord(
                reference: records[index].reference, contactID: records[index].contactID,
                source: sourceNumber(records[index].source), school: records[index].school,
                given: records[index].given, family: records[index].family, address: records[index].address,
                sex: records[index].sex, generation: records[index].generation)
        }
        finishBuilding()
    }

    /// The pupils of public records as numbers, scoped to the records' sources (`NumberedPupils`).
    static func numberedPupils(_ records: [IdentityRecord]) -> NumberedPupils {
        var sources: [String: Int32] = [:]
        var numbers: [PupilKey: Int32] = [:]
        numbers.reserveCapacity(records.count)
        var start: [Int32] = [0]
        var flat: [Int32] = []
        start.reserveCapacity(records.count + 1)
        flat.reserveCapacity(records.count)
        for index in records.indices {
            let source = sources[records[index].source] ?? {
                let id = Int32(sources.count)
                sources[records[index].source] = id
                return id
            }()
            for pupil in records[index].pupils {
                let key = PupilKey(source: source, pupil: pupil)
                if let id = numbers[key] {
                    flat.append(id)
                } else {
                    let id = Int32(numbers.count)
                    numbers[key] = id
                    flat.append(id)
                }
            }
            start.append(Int32(flat.count))
        }
        return NumberedPupils(start: start, flat: flat)
    }

    /// A pupil within one source.
    private struct PupilKey: Hashable {
        let source: Int32
        let pupil: String
    }

    /// Record `index` as a public record, with `pupils` as its pupils.
    func record(_ index: Int, pupils: [String]) -> IdentityRecord {
        IdentityRecord(
            reference: references[index], source: sources[source[index]], school: schoolText(of: index),
            contactID: contactIDs[index], given: givenText(of: index), family: familyText(of: index),
            emails: emails(of: index).map { emails[$0] }, mobiles: mobiles(of: index).map { mobiles[$0] },
            address: address[index] == Self.none ? nil : addresses[address[index]], pupils: pupils,
            sex: sex[index] == 0 ? nil : sex[index] == 1 ? .female : .male,
            generation: generation[index] == 0 ? nil : generation[index] == 1 ? .parent : .grandparent)
    }
}
