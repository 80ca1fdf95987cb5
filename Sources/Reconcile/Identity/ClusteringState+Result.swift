extension ClusteringState {
    /// Near misses of the same name are looked for only among this many people with one name: in a
    /// local authority there are hundreds of Mohammed Khans, and a name shared by more than a few
    /// people is a common name, not a sign of a duplicate; listing every pair would bury the reports
    /// that matter.
    static let largestSameNameBlock = 3

    /// The people, near misses and warnings, each in a canonical order.
    mutating func result() -> IdentityResolution {
        let members = Membership(&self)
        // The people and the same-name near misses only read the state: on two threads for a local
        // authority, their warnings and candidates added afterwards in the order one thread gave.
        let state = self
        let ((persons, duplicates), sameName) = Halves.both(
            parallel: records.count >= Halves.smallest,
            { state.persons(members) }, { state.sameNameNearMisses(members) })
        for group in duplicates { warnDuplicateContacts(group) }
        nearMissCandidates += sameName
        return IdentityResolution(
            persons: persons, nearMisses: nearMisses(), warnings: DedupeWarning.canonicallyOrdered(warnings))
    }

    /// Every person in canonical order, and the people one school lists under two contact ids.
    private func persons(_ members: Membership) -> ([IdentifiedPerson], [ArraySlice<Int>]) {
        var persons: [IdentifiedPerson] = []
        var duplicates: [ArraySlice<Int>] = []
        persons.reserveCapacity(members.rootCount)
        // A person is listed where their first record is: records are in reference order, so the
        // people come out sorted by id (their lowest reference) without sorting them.
        for index in records.indices {
            let group = members.person(of: index)
            guard group.first == index else { continue }
            let root = Int(members.roots[index])
            persons.append(IdentifiedPerson(
                id: records.references[index],
                recordIndices: group.map { order[$0] },
                references: group.map { records.references[$0] },
                matchedOn: cluster(of: root)?.matchedOn.sorted ?? []))
            if group.count > 1, hasTwoContactIDsAtOneSchool(group) { duplicates.append(group) }
        }
        return (persons, duplicates)
    }

    /// Every root's records, as buckets in one flat array rather than an array per person.
    struct Membership: Sendable {
        let roots: [Int32]
        let start: [Int]
        let flat: [Int]
        let rootCount: Int

        init(_ state: inout ClusteringState) {
            let count = state.records.count
            var roots = [Int32](repeating: 0, count: count)
            var start = [Int](repeating: 0, count: count + 1)
            for index in 0..<count {
                let root = state.find(index)
                roots[index] = Int32(root)
                start[root + 1] += 1
            }
            var rootCount = 0
            for root in 0..<count {
                if start[root + 1] > 0 { rootCount += 1 }
                start[root + 1] += start[root]
            }
            var fill = start
            var flat = [Int](repeating: 0, count: count)
            for index in 0..<count {
                let root = Int(roots[index])
                flat[fill[root]] = index
                fill[root] += 1
            }
            self.roots = roots
            self.start = start
            self.flat = flat
            self.rootCount = rootCount
        }

        /// The records of `root`, in canonical order; empty when `root` is not a root.
        subscript(root: Int) -> ArraySlice<Int> { flat[start[root]..<start[root + 1]] }

        /// The records of the person holding `record`.
        func person(of record: Int) -> ArraySlice<Int> { self[Int(roots[record])] }
    }

    /// Whether one school lists the person under two contact ids: a check on the few records of the
    /// person, so that the dictionary of sets `warnDuplicateContacts` builds is built only when it has
    /// something to say (for a few hundred of a local authority's people, not every person with two
    /// records).
    private func hasTwoContactIDsAtOneSchool(_ members: ArraySlice<Int>) -> Bool {
        for a in members.indices {
            guard let id = records.contactIDs[members[a]] else { continue }
            for b in members.index(after: a)..<members.endIndex {
                if let other = records.contactIDs[members[b]], other != id,
                    records.school[members[b]] == records.school[members[a]]
                {
                    return true
                }
            }
        }
        return false
    }

    /// A school that lists one person under two contact ids should merge them in its MIS.
    private mutating func warnDuplicateContacts(_ members: ArraySlice<Int>) {
        var idsBySchool: [Int32: Set<String>] = [:]
        for member in members {
            if let id = records.contactIDs[member] { idsBySchool[records.school[member], default: []].insert(id) }
        }
        for (school, ids) in idsBySchool where ids.count > 1 {
            let references = members.filter { records.school[$0] == school && records.contactIDs[$0] != nil }
                .map { records.references[$0] }
            let first = members.first!
            warnings.append(DedupeWarning(
                code: .duplicateContact,
                message: "\(records.givenText(of: first)) \(records.familyText(of: first)) is recorded \(ids.count) times "
                    + "(\(references.joined(separator: ", "))): merge these contacts in the MIS",
                school: records.schools[school], records: references))
        }
    }

    /// People with the same (or nickname-equivalent) name that nothing joined and nothing refused,
    /// where a check is worth the office's time: only two people in the authority have the name, or
    /// both are at one school (its MIS may hold a duplicate), or one of them has no e-mail, mobile or
    /// address at all (nothing could have joined them).
    private func sameNameNearMisses(_ members: Membership) -> [(Int, Int, NearMissReason)] {
        var candidates: [(Int, Int, NearMissReason)] = []
        // Grouped by sorting hashes (`BlockingKeys.blocks`), not by a dictionary holding an array for
        // each of the authority's names. The key is the family name's joined tokens and a given name (or
        // a full name it is short for), both as numbers (`NameTable`), side by side in one integer.
        var keyed: [(UInt64, Int)] = []
        keyed.reserveCapacity(members.rootCount)
        for root in records.indices {
            guard let representative = members[root].first else { continue }
            let (given, family) = (records.given[representative], records.family[representative])
            guard !names[given].first.isEmpty, !names[family].joined.isEmpty else { continue }
            let familyKey = UInt64(UInt32(names.joinedNumber[Int(family)])) << 32
            keyed.append((familyKey | UInt64(UInt32(names.firstNumber[Int(given)])), representative))
            for form in names.fullNameNumbers[Int(given)] { keyed.append((familyKey | UInt64(UInt32(form)), representative)) }
        }
        for (_, sorted) in BlockingKeys.blocks(keyed) where sorted.count <= Self.largestSameNameBlock {
            for a in sorted.indices {
                for b in sorted.index(after: a)..<sorted.endIndex {
                    let (i, j) = (sorted[a], sorted[b])
                    let agreement = names.givenAgreement(records.given[i], records.given[j])
                    guard agreement == .same || agreement == .nickname else { continue }
                    let (mi, mj) = (members.person(of: i), members.person(of: j))
                    let sharesSchool = !Set(mi.map { records.school[$0] }).isDisjoint(with: mj.map { records.school[$0] })
                    if sorted.count == 2 || sharesSchool || !hasStrongKey(mi) || !hasStrongKey(mj) {
                        candidates.append((i, j, .sameNameOnly))
                    }
                }
            }
        }
        return candidates
    }

    private func hasStrongKey(_ members: ArraySlice<Int>) -> Bool {
        members.contains { records.hasStrongKey($0) }
    }

    /// One near miss per pair of people: the most telling reason, with the first records that showed it.
    /// Pairs kept apart by a `split` override are left out.
    private mutating func nearMisses() -> [NearMiss] {
        let rank = Dictionary(uniqueKeysWithValues: NearMissReason.allCases.enumerated().map { ($1, $0) })
        var best: [UInt64: (rank: Int, i: Int, j: Int, reason: NearMissReason)] = [:]
        for (i, j, reason) in nearMissCandidates {
            let (ri, rj) = (find(i), find(j))
            // IT has already decided about a pair it split: nothing to check.
            guard ri != rj, !isSplit(ri, rj) else { continue }
            let (x, y) = i < j ? (i, j) : (j, i)
            let candidate = (rank: rank[reason]!, i: x, j: y, reason: reason)
            let key = BlockingKeys.pairKey(ri, rj)
            if let current = best[key],
                (current.rank, current.i, current.j) <= (candidate.rank, candidate.i, candidate.j)
            {
                continue
            }
            best[key] = candidate
        }
        return best.values
            .map { NearMiss(records: [records.references[$0.i], records.references[$0.j]], reason: $0.reason) }
            .sorted { ($0.records[0], $0.records[1]) < ($1.records[0], $1.records[1]) }
    }
}
