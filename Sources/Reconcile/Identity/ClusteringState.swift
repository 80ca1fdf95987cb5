/// The working state of one resolution: records in canonical order, a union-find forest over them,
/// and what each multi-record cluster holds that a further join must not contradict.
struct ClusteringState {
    /// What a cluster of more than one record carries; single records answer from the record itself.
    struct Cluster {
        var pupils: Set<Int>
        var givenNames: [NameKey]
        var sexes: Set<RecordedSex>
        var generations: Set<Generation>
        var splitPartners: [Int]
        var matchedOn: Set<MatchKey>
    }

    /// Records sorted by reference; `original[i]` is where `records[i]` was in the input.
    let records: [IdentityRecord]
    let original: [Int]
    let names: [(given: NameKey, family: NameKey)]
    /// Each record's pupils as small integers, scoped to the record's source.
    let pupilIDs: [[Int]]
    private(set) var parent: [Int]
    private var size: [Int]
    var clusters: [Int: Cluster] = [:]
    private var splitPartners: [Int: [Int]] = [:]
    var nearMissCandidates: [(Int, Int, NearMissReason)] = []
    var warnings: [DedupeWarning] = []
    private let indexByReference: [String: Int]

    init(records input: [IdentityRecord]) {
        let order = input.indices.sorted {
            (input[$0].reference, input[$0].source) < (input[$1].reference, input[$1].source)
        }
        records = order.map { input[$0] }
        original = order
        names = records.map { (NameKey($0.given), NameKey($0.family)) }
        var pupilNumbers: [String: Int] = [:]
        pupilIDs = records.map { record in
            record.pupils.map { pupil in
                let key = record.source + "\u{1F}" + pupil
                if let id = pupilNumbers[key] { return id }
                let id = pupilNumbers.count
                pupilNumbers[key] = id
                return id
            }
        }
        parent = Array(records.indices)
        size = Array(repeating: 1, count: records.count)
        var byReference: [String: Int] = [:]
        for (index, record) in records.enumerated() where byReference[record.reference] == nil {
            byReference[record.reference] = index
        }
        indexByReference = byReference
    }

    mutating func find(_ i: Int) -> Int {
        var root = i
        while parent[root] != root { root = parent[root] }
        var node = i
        while parent[node] != root { (node, parent[node]) = (parent[node], root) }
        return root
    }

    /// The root without path compression, for checks that must not mutate.
    func root(_ i: Int) -> Int {
        var node = i
        while parent[node] != node { node = parent[node] }
        return node
    }

    private func cluster(_ root: Int) -> Cluster {
        if let cluster = clusters[root] { return cluster }
        let record = records[root]
        return Cluster(
            pupils: Set(pupilIDs[root]), givenNames: [names[root].given],
            sexes: record.sex.map { [$0] } ?? [], generations: record.generation.map { [$0] } ?? [],
            splitPartners: splitPartners[root] ?? [], matchedOn: [])
    }

    // MARK: Overrides

    mutating func applyMerges(_ merges: [DedupeOverride]) {
        for merge in merges {
            guard let (a, b) = resolveReferences(merge) else { continue }
            union(a, b, keys: [.override])
        }
    }

    mutating func applySplits(_ splits: [DedupeOverride]) {
        for split in splits {
            guard let (a, b) = resolveReferences(split) else { continue }
            if find(a) == find(b) {
                warnings.append(DedupeWarning(
                    code: .overrideConflict,
                    message: "\(split.origin.isEmpty ? "" : split.origin + ": ")split of \(split.record) and "
                        + "\(split.otherRecord) contradicts a merge in the same file; the merge stands",
                    school: nil, records: [split.record, split.otherRecord].sorted()))
                continue
            }
            splitPartners[a, default: []].append(b)
            splitPartners[b, default: []].append(a)
            // Partners are kept per root too, for records already merged by an override.
            for (x, y) in [(a, b), (b, a)] {
                let root = find(x)
                if clusters[root] != nil { clusters[root]!.splitPartners.append(y) }
            }
        }
    }

    private mutating func resolveReferences(_ override: DedupeOverride) -> (Int, Int)? {
        let missing = [override.record, override.otherRecord].filter { indexByReference[$0] == nil }
        guard missing.isEmpty, let a = indexByReference[override.record],
            let b = indexByReference[override.otherRecord]
        else {
            warnings.append(DedupeWarning(
                code: .overrideUnknownRecord,
                message: "\(override.origin.isEmpty ? "" : override.origin + ": ")\(override.action.rawValue) "
                    + "names \(missing.joined(separator: " and ")), which no source holds now; "
                    + "the line has no effect (remove it if the contact has left)",
                school: nil, records: missing))
            return nil
        }
        return (a, b)
    }

    // MARK: Matching

    /// The same contact id at the same school is one person, unless IT split the two.
    mutating func joinSameContactIDs() {
        var first: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            guard let id = record.contactID, !id.isEmpty else { continue }
            let key = record.school + "\u{1F}" + id
            if let earlier = first[key] {
                if !isSplit(find(earlier), find(index)) { union(earlier, index, keys: [.contactID]) }
            } else {
                first[key] = index
            }
        }
    }

    /// Proposed joins from the blocks, strongest first.
    mutating func joinOnStrongKeys() {
        let blocks = BlockingKeys(records: records, names: names)
        warnings += blocks.warnings
        var edges: [(score: Int, i: Int, j: Int, keys: [MatchKey])] = []
        for (pair, shared) in blocks.pairs {
            let (i, j) = BlockingKeys.indices(of: pair)
            let (a, b) = (names[i], names[j])
            guard NameCompatibility.familiesAgree(a.family, b.family),
                let agreement = NameCompatibility.givenAgreement(a.given, b.given)
            else { continue }
            var shared = shared
            if agreement == .same {
                if shared.contains(.familyEmailSameName) { shared.insert(.email) }
                if shared.contains(.familyMobileSameName) { shared.insert(.mobile) }
            }
            if shared.strongCount == 0 {
                nearMissCandidates.append((i, j, .sharedKeyOnly))
                continue
            }
            if agreement == .initial && shared.matchKeys == [.address] {
                nearMissCandidates.append((i, j, .initialOnly))
                continue
            }
            var keys = shared.matchKeys
            switch agreement {
            case .nickname: keys.append(.nickname)
            case .slip: keys.append(.slip)
            case .initial: keys.append(.initial)
            case .same: break
            }
            edges.append((shared.strongCount * 10 + agreement.rawValue, i, j, keys))
        }
        edges.sort { ($1.score, $0.i, $0.j) < ($0.score, $1.i, $1.j) }
        for edge in edges {
            let (ri, rj) = (find(edge.i), find(edge.j))
            guard ri != rj else {
                if clusters[ri] != nil { clusters[ri]!.matchedOn.formUnion(edge.keys) }
                continue
            }
            if let refusal = refusal(ri, rj) {
                if let reason = refusal { nearMissCandidates.append((edge.i, edge.j, reason)) }
                continue
            }
            union(edge.i, edge.j, keys: edge.keys)
        }
    }

    /// Why two clusters must not join: `.some(nil)` for a refusal not worth reporting (an override, or
    /// names that only a chain of initials connected), `.some(reason)` for a near miss, nil to join.
    private func refusal(_ ra: Int, _ rb: Int) -> NearMissReason?? {
        if isSplit(ra, rb) { return .some(nil) }
        let a = cluster(ra), b = cluster(rb)
        if !a.pupils.isDisjoint(with: b.pupils) { return .samePupil }
        if a.generations.union(b.generations).count > 1 { return .generation }
        if a.sexes.union(b.sexes).count > 1 { return .sex }
        if !NameCompatibility.givenNamesCanJoin(a.givenNames, b.givenNames) { return .some(nil) }
        return nil
    }

    func isSplit(_ ra: Int, _ rb: Int) -> Bool {
        let a = cluster(ra), b = cluster(rb)
        if a.splitPartners.isEmpty && b.splitPartners.isEmpty { return false }
        // Partners are record indices; a record's root may have moved, so compare through the roots.
        return a.splitPartners.contains { root($0) == rb } || b.splitPartners.contains { root($0) == ra }
    }

    private mutating func union(_ i: Int, _ j: Int, keys: [MatchKey]) {
        var (ri, rj) = (find(i), find(j))
        guard ri != rj else { return }
        if size[ri] < size[rj] { swap(&ri, &rj) }
        var merged = cluster(ri)
        let other = cluster(rj)
        merged.pupils.formUnion(other.pupils)
        for name in other.givenNames where !merged.givenNames.contains(where: { $0.joined == name.joined }) {
            merged.givenNames.append(name)
        }
        merged.sexes.formUnion(other.sexes)
        merged.generations.formUnion(other.generations)
        merged.splitPartners += other.splitPartners
        merged.matchedOn.formUnion(other.matchedOn)
        merged.matchedOn.formUnion(keys)
        parent[rj] = ri
        size[ri] += size[rj]
        clusters[ri] = merged
        clusters[rj] = nil
    }
}
