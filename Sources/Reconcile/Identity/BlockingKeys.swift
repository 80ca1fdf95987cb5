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

        var strongCount: Int { Int(rawValue & 0b111).nonzeroBitCount }
        /// The strong keys as match keys, without an array per pair.
        var matchKeySet: MatchKeySet {
            var keys = MatchKeySet()
            if contains(.email) { keys.insert(.email) }
            if contains(.mobile) { keys.insert(.mobile) }
            if contains(.address) { keys.insert(.address) }
            return keys
        }
    }

    /// A block larger than this cannot be one household's key (an office number typed for every
    /// contact, a block of flats given only its street): comparing all its pairs would be the
    /// quadratic work blocking exists to avoid, and the key says nothing about identity anyway.
    static let largestBlock = 40

    /// Every pair (lower index first) that shares a key, with the keys it shares; each pair once.
    private(set) var pairs: [(key: UInt64, shared: SharedKeys)] = []
    /// Pairs as they are found: the pair key shifted up, the kind in the low six bits, so that one
    /// plain integer sort brings each pair's kinds together.
    private var found: [UInt64] = []
    /// Warnings about shared and over-shared keys.
    var warnings: [DedupeWarning] = []

    /// A pair of record positions as one integer, lower first: 29 bits each, room for 536 million
    /// records and, shifted by six, for the kind bits beside it.
    static func pairKey(_ i: Int, _ j: Int) -> UInt64 {
        let (a, b) = i < j ? (i, j) : (j, i)
        return UInt64(a) << 29 | UInt64(b)
    }

    static func indices(of key: UInt64) -> (Int, Int) {
        (Int(key >> 29), Int(key & 0x1FFF_FFFF))
    }

    /// Builds the blocks over `records` (in canonical order) and collects their pairs.
    init(records: RecordTable, names: NameTable) {
        // Grouped by the values' numbers: no value is hashed or compared here.
        let emailBlocks = Self.blocks(records.emailFlat, records.emailStart, valueCount: records.emails.count)
        let mobileBlocks = Self.blocks(records.mobileFlat, records.mobileStart, valueCount: records.mobiles.count)
        addPersonalBlocks(emailBlocks, kind: .email, records: records, names: names)
        addPersonalBlocks(mobileBlocks, kind: .mobile, records: records, names: names)
        var addressStart: [Int32] = [0]
        var addressFlat: [Int32] = []
        addressStart.reserveCapacity(records.count + 1)
        addressFlat.reserveCapacity(records.count)
        for address in records.address {
            if address != RecordTable.none { addressFlat.append(address) }
            addressStart.append(Int32(addressFlat.count))
        }
        let byAddress = Self.blocks(addressFlat, addressStart, valueCount: records.addresses.count)
        for (address, members) in byAddress {
            if members.count <= Self.largestBlock {
                addAllPairs(members, .address)
                continue
            }
            // A whole street or a block of flats: only people of the same family name can match there.
            let byFamily = Dictionary(grouping: members) { names[records.family[$0]].joined }
            for (_, family) in byFamily where family.count > 1 {
                if family.count <= Self.largestBlock {
                    addAllPairs(family, .address)
                } else {
                    warnOverShared("address", records.addresses[address], family, records)
                }
            }
        }
        mergePairs()
    }

    /// E-mail and mobile blocks. Such a key is a person's own only when everyone using it has one name:
    /// a family's shared address must never merge a mother and a father, so when the block holds more
    /// than one name it is reported, and joins only records with the very same given name.
    private mutating func addPersonalBlocks(
        _ blocks: [(value: Int32, members: [Int])], kind: SharedKeys, records: RecordTable, names: NameTable
    ) {
        for (number, members) in blocks {
            let value = kind == .email ? records.emails[number] : records.mobiles[number]
            guard members.count <= Self.largestBlock else {
                warnOverShared(kind == .email ? "e-mail address" : "mobile number", value, members, records)
                continue
            }
            // Nearly always one person's own key: every name agrees with the first, and no groups are built.
            if Self.allAgreeWithFirst(members, records: records, names: names) {
                addAllPairs(members, kind)
                continue
            }
            let groups = Self.nameGroups(members, records: records, names: names)
            if groups.count == 1 {
                addAllPairs(members, kind)
            } else {
                addAllPairs(members, .sharedByOthers)
                for group in groups where group.count > 1 {
                    addAllPairs(group, kind == .email ? .familyEmailSameName : .familyMobileSameName)
                }
                let people = groups.map { group in
                    "\(records.givenText(of: group[0])) \(records.familyText(of: group[0])) "
                        + "(\(group.map { records.references[$0] }.joined(separator: ", ")))"
                }
                let what = kind == .email ? "e-mail address" : "mobile number"
                warnings.append(DedupeWarning(
                    code: kind == .email ? .sharedEmail : .sharedMobile,
                    message: "the \(what) \(value) is used by \(groups.count) different people: "
                        + people.joined(separator: "; ") + ". It joins no one; give each person their own "
                        + "in the MIS, or record it only for the main contact",
                    school: Self.commonSchool(members, records),
                    records: members.map { records.references[$0] }))
            }
        }
    }

    /// Whether every member's name agrees with the first member's: then `nameGroups` is the one group.
    static func allAgreeWithFirst(_ members: [Int], records: RecordTable, names: NameTable) -> Bool {
        let first = members[0]
        return members.dropFirst().allSatisfy { member in
            names.familiesAgree(records.family[member], records.family[first])
                && names.givenAgreement(records.given[member], records.given[first]) != nil
        }
    }

    /// Splits a block into groups of mutually compatible names, each record joining the first group
    /// whose first member it agrees with. The block is in canonical order, so the grouping is too.
    static func nameGroups(_ members: [Int], records: RecordTable, names: NameTable) -> [[Int]] {
        var groups: [[Int]] = []
        for member in members {
            if let g = groups.firstIndex(where: { group in
                names.familiesAgree(records.family[member], records.family[group[0]])
                    && names.givenAgreement(records.given[member], records.given[group[0]]) != nil
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
                found.append(Self.pairKey(members[a], members[b]) << 6 | UInt64(kind.rawValue))
            }
        }
    }

    /// Each pair once, with every key it shares: the pairs sorted and their kinds joined. Sorting a
    /// flat array of integers costs far less than a dictionary of a million pairs.
    private mutating func mergePairs() {
        RadixSort.sort(&found)
        pairs.reserveCapacity(found.count)
        for item in found {
            let key = item >> 6
            let kind = SharedKeys(rawValue: UInt8(item & 0x3F))
            if let last = pairs.last, last.key == key {
                pairs[pairs.count - 1].shared.formUnion(kind)
            } else {
                pairs.append((key, kind))
            }
        }
        found = []
    }

    /// The values held by more than one record, each with its records in ascending order (a record
    /// giving one value twice is listed twice), from each record's value numbers: record `r` has
    /// `flat[start[r]..<start[r + 1]]`, numbers below `valueCount`. Counted, not hashed or sorted.
    static func blocks(_ flat: [Int32], _ start: [Int32], valueCount: Int) -> [(value: Int32, members: [Int])] {
        var counts = [Int32](repeating: 0, count: valueCount)
        for value in flat { counts[Int(value)] += 1 }
        // Each shared value's block, numbered in order of first appearance; -1 for a value held once.
        var blockOf = [Int32](repeating: -1, count: valueCount)
        var blocks: [(value: Int32, members: [Int])] = []
        for value in flat where counts[Int(value)] > 1 && blockOf[Int(value)] < 0 {
            blockOf[Int(value)] = Int32(blocks.count)
            var members: [Int] = []
            members.reserveCapacity(Int(counts[Int(value)]))
            blocks.append((value, members))
        }
        guard !blocks.isEmpty else { return [] }
        for record in 0..<(start.count - 1) {
            for position in Int(start[record])..<Int(start[record + 1]) {
                let block = blockOf[Int(flat[position])]
                if block >= 0 { blocks[Int(block)].members.append(record) }
            }
        }
        return blocks
    }

    /// The values held by more than one record, each with its records in canonical order, found by
    /// sorting on the values' hashes rather than by a dictionary holding an array for every value.
    static func blocks<Key: Hashable>(_ keyed: [(Key, Int)]) -> [(Key, [Int])] {
        // Only plain integers are sorted — 32 bits of the value's hash above the entry's position — so
        // the sort needs no closure and moves no strings. Values whose hashes agree are then told
        // apart by the values themselves.
        var packed = keyed.indices.map { UInt64(UInt32(truncatingIfNeeded: keyed[$0].0.hashValue)) << 32 | UInt64($0) }
        RadixSort.sort(&packed)
        var blocks: [(Key, [Int])] = []
        var start = 0
        while start < packed.count {
            let hash = packed[start] >> 32
            var end = start + 1
            while end < packed.count, packed[end] >> 32 == hash { end += 1 }
            if end - start > 1 {
                // Nearly always one value: no dictionary needed.
                let firstValue = keyed[Int(packed[start] & 0xFFFF_FFFF)].0
                if packed[start..<end].allSatisfy({ keyed[Int($0 & 0xFFFF_FFFF)].0 == firstValue }) {
                    blocks.append((firstValue, packed[start..<end].map { keyed[Int($0 & 0xFFFF_FFFF)].1 }.sorted()))
                    start = end
                    continue
                }
                var byValue: [Key: [Int]] = [:]
                var order: [Key] = []
                for item in packed[start..<end] {
                    let (value, index) = keyed[Int(item & 0xFFFF_FFFF)]
                    if byValue[value] == nil { order.append(value) }
                    byValue[value, default: []].append(index)
                }
                for value in order where byValue[value]!.count > 1 {
                    blocks.append((value, byValue[value]!.sorted()))
                }
            }
            start = end
        }
        return blocks
    }

    private mutating func warnOverShared(_ what: String, _ value: String, _ members: [Int], _ records: RecordTable) {
        warnings.append(DedupeWarning(
            code: .overSharedKey,
            message: "the \(what) \(value) is given for \(members.count) records, so it cannot be anyone's "
                + "own and joins no one; check it in the MIS",
            school: Self.commonSchool(members, records),
            records: members.prefix(10).map { records.references[$0] }))
    }

    /// The school all the records belong to, or nil when they span several.
    static func commonSchool(_ members: some Collection<Int>, _ records: RecordTable) -> String? {
        guard let first = members.first else { return nil }
        let school = records.school[first]
        return members.allSatisfy { records.school[$0] == school } ? records.schools[school] : nil
    }
}
