extension ClusteringState {
    /// Near misses of the same name are looked for only among this many people with one name: in a
    /// local authority there are hundreds of Mohammed Khans, and a name shared by more than a few
    /// people is a common name, not a sign of a duplicate; listing every pair would bury the reports
    /// that matter.
    static let largestSameNameBlock = 3

    /// The people, near misses and warnings, each in a canonical order.
    mutating func result() -> IdentityResolution {
        var membersByRoot: [Int: [Int]] = [:]
        for index in records.indices { membersByRoot[find(index), default: []].append(index) }
        var persons: [IdentifiedPerson] = []
        persons.reserveCapacity(membersByRoot.count)
        for (root, members) in membersByRoot {
            // Members are in canonical (reference) order already: indices were appended in order.
            persons.append(IdentifiedPerson(
                id: records[members[0]].reference,
                recordIndices: members.map { original[$0] },
                references: members.map { records[$0].reference },
                matchedOn: (clusters[root]?.matchedOn ?? []).sorted()))
            warnDuplicateContacts(members)
        }
        persons.sort { $0.id < $1.id }
        addSameNameNearMisses(membersByRoot)
        return IdentityResolution(persons: persons, nearMisses: nearMisses(), warnings: DedupeWarning.canonicallyOrdered(warnings))
    }

    /// A school that lists one person under two contact ids should merge them in its MIS.
    private mutating func warnDuplicateContacts(_ members: [Int]) {
        guard members.count > 1 else { return }
        var idsBySchool: [String: Set<String>] = [:]
        for member in members {
            if let id = records[member].contactID { idsBySchool[records[member].school, default: []].insert(id) }
        }
        for (school, ids) in idsBySchool where ids.count > 1 {
            let references = members.map { records[$0] }.filter { $0.school == school && $0.contactID != nil }
                .map(\.reference)
            let record = records[members[0]]
            warnings.append(DedupeWarning(
                code: .duplicateContact,
                message: "\(record.given) \(record.family) is recorded \(ids.count) times "
                    + "(\(references.joined(separator: ", "))): merge these contacts in the MIS",
                school: school, records: references))
        }
    }

    /// People with the same (or nickname-equivalent) name that nothing joined and nothing refused,
    /// where a check is worth the office's time: both are at one school (its MIS may hold a duplicate),
    /// or one of them has no e-mail, mobile or address at all (nothing could have joined them).
    private mutating func addSameNameNearMisses(_ membersByRoot: [Int: [Int]]) {
        var blocks: [String: [Int]] = [:]
        for (_, members) in membersByRoot {
            let representative = members[0]
            let (given, family) = names[representative]
            guard !given.first.isEmpty, !family.joined.isEmpty else { continue }
            for form in Nicknames.blockingForms(of: given.first) {
                blocks[family.joined + "\u{1F}" + form, default: []].append(representative)
            }
        }
        for (_, people) in blocks where people.count > 1 && people.count <= Self.largestSameNameBlock {
            let sorted = people.sorted()
            for a in sorted.indices {
                for b in sorted.index(after: a)..<sorted.endIndex {
                    let (i, j) = (sorted[a], sorted[b])
                    let agreement = NameCompatibility.givenAgreement(names[i].given, names[j].given)
                    guard agreement == .same || agreement == .nickname else { continue }
                    let (mi, mj) = (membersByRoot[find(i)]!, membersByRoot[find(j)]!)
                    let sharesSchool = !Set(mi.map { records[$0].school }).isDisjoint(with: mj.map { records[$0].school })
                    if sharesSchool || !hasStrongKey(mi) || !hasStrongKey(mj) {
                        nearMissCandidates.append((i, j, .sameNameOnly))
                    }
                }
            }
        }
    }

    private func hasStrongKey(_ members: [Int]) -> Bool {
        members.contains { !records[$0].emails.isEmpty || !records[$0].mobiles.isEmpty || records[$0].address != nil }
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
            .map { NearMiss(records: [records[$0.i].reference, records[$0.j].reference], reason: $0.reason) }
            .sorted { ($0.records[0], $0.records[1]) < ($1.records[0], $1.records[1]) }
    }
}
