/// Candidate pairs come only from blocks: records that share an e-mail address, a mobile number or an
/// address. Only records inside one block are ever compared, so the work grows with the block sizes,
/// not with the square of the records.
struct BlockingKeys {
    /// The kinds of strong identifier two records can share, as bits.
    struct SharedKeys: OptionSet, Hashable {
        let rawValue: UInt8
        static let email = SharedKeys(rawValue: 1 << 0)
        static let mobile = SharedKeys(rawValue: 1 << 1)
        static let address = SharedKeys(rawValue: 1 << 2)
        /// An e-mail or mobile that different people use: explains a near miss.
        static let sharedByOthers = SharedKeys(rawValue: 1 << 3)
        /// A family's e-mail or mobile, used by both records with the very same name: joins them only
        /// when the given names are equal, never through a nickname, slip or initial.
        static let familyEmailSameName = SharedKeys(rawValue: 1 << 4)
        static let familyMobileSameName = SharedKeys(rawValue: 1 << 5)

        var matchKeys: [MatchKey] {
            [(SharedKeys.email, MatchKey.email), (.mobile, .mobile), (.address, .address)]
                .filter { contains($0.0) }.map(\.1)
        }
        var strongCount: Int { matchKeys.count }
    }

    /// A block larger than this cannot be one household's key (an office number typed for every
    /// contact, a block of flats given only its street): comparing all its pairs would be the
    /// quadratic work blocking exists to avoid, and the key says nothing about identity anyway.
    static let largestBlock = 40

    /// Every pair (lower index first) that shares a key, with the keys it shares.
    var pairs: [UInt64: SharedKeys] = [:]
    /// Warnings about shared and over-shared keys.
    var warnings: [DedupeWarning] = []

    static func pairKey(_ i: Int, _ j: Int) -> UInt64 {
        let (a, b) = i < j ? (i, j) : (j, i)
        return UInt64(a) << 32 | UInt64(b)
    }

    static func indices(of key: UInt64) -> (Int, Int) {
        (Int(key >> 32), Int(key & 0xFFFF_FFFF))
    }

    /// Builds the blocks over `records` (already in canonical order) and collects their pairs.
    init(records: [IdentityRecord], names: [(given: NameKey, family: NameKey)]) {
        var byEmail: [String: [Int]] = [:], byMobile: [String: [Int]] = [:], byAddress: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            for email in Set(record.emails) { byEmail[email, default: []].append(index) }
            for mobile in Set(record.mobiles) { byMobile[mobile, default: []].append(index) }
            if let address = record.address { byAddress[address, default: []].append(index) }
        }
        addPersonalBlocks(byEmail, kind: .email, records: records, names: names)
        addPersonalBlocks(byMobile, kind: .mobile, records: records, names: names)
        for (address, members) in byAddress where members.count > 1 {
            if members.count <= Self.largestBlock {
                addAllPairs(members, .address)
                continue
            }
            // A whole street or a block of flats: only people of the same family name can match there.
            let byFamily = Dictionary(grouping: members) { names[$0].family.joined }
            for (_, family) in byFamily where family.count > 1 {
                if family.count <= Self.largestBlock {
                    addAllPairs(family, .address)
                } else {
                    warnOverShared("address", address, family, records)
                }
            }
        }
    }

    /// E-mail and mobile blocks. Such a key is a person's own only when everyone using it has one name:
    /// a family's shared address must never merge a mother and a father, so when the block holds more
    /// than one name it is reported, and joins only records with the very same given name.
    private mutating func addPersonalBlocks(
        _ blocks: [String: [Int]], kind: SharedKeys, records: [IdentityRecord],
        names: [(given: NameKey, family: NameKey)]
    ) {
        for (value, members) in blocks where members.count > 1 {
            guard members.count <= Self.largestBlock else {
                warnOverShared(kind == .email ? "e-mail address" : "mobile number", value, members, records)
                continue
            }
            let groups = Self.nameGroups(members, names: names)
            if groups.count == 1 {
                addAllPairs(members, kind)
            } else {
                addAllPairs(members, .sharedByOthers)
                for group in groups where group.count > 1 {
                    addAllPairs(group, kind == .email ? .familyEmailSameName : .familyMobileSameName)
                }
                let people = groups.map { group in
                    let first = records[group[0]]
                    return "\(first.given) \(first.family) (\(group.map { records[$0].reference }.joined(separator: ", ")))"
                }
                let what = kind == .email ? "e-mail address" : "mobile number"
                warnings.append(DedupeWarning(
                    code: kind == .email ? .sharedEmail : .sharedMobile,
                    message: "the \(what) \(value) is used by \(groups.count) different people: "
                        + people.joined(separator: "; ") + ". It joins no one; give each person their own "
                        + "in the MIS, or record it only for the main contact",
                    school: Self.commonSchool(members.map { records[$0] }),
                    records: members.map { records[$0].reference }))
            }
        }
    }

    /// Splits a block into groups of mutually compatible names, each record joining the first group
    /// whose first member it agrees with. The block is in canonical order, so the grouping is too.
    static func nameGroups(_ members: [Int], names: [(given: NameKey, family: NameKey)]) -> [[Int]] {
        var groups: [[Int]] = []
        for member in members {
            let name = names[member]
            if let g = groups.firstIndex(where: { group in
                let other = names[group[0]]
                return NameCompatibility.familiesAgree(name.family, other.family)
                    && NameCompatibility.givenAgreement(name.given, other.given) != nil
            }) {
                groups[g].append(member)
            } else {
                groups.append([member])
            }
        }
        return groups
    }

    private mutating func addAllPairs(_ members: [Int], _ kind: SharedKeys) {
        for a in members.indices {
            for b in members.index(after: a)..<members.endIndex where members[a] != members[b] {
                pairs[Self.pairKey(members[a], members[b]), default: []].insert(kind)
            }
        }
    }

    private mutating func warnOverShared(_ what: String, _ value: String, _ members: [Int], _ records: [IdentityRecord]) {
        warnings.append(DedupeWarning(
            code: .overSharedKey,
            message: "the \(what) \(value) is given for \(members.count) records, so it cannot be anyone's "
                + "own and joins no one; check it in the MIS",
            school: Self.commonSchool(members.map { records[$0] }),
            records: members.prefix(10).map { records[$0].reference }))
    }

    /// The school all the records belong to, or nil when they span several.
    static func commonSchool(_ records: [IdentityRecord]) -> String? {
        let schools = Set(records.map(\.school))
        return schools.count == 1 ? schools.first : nil
    }
}
