/// The working state of one resolution: records in canonical order, a union-find forest over them,
/// and what each multi-record cluster holds that a further join must not contradict.
///
/// Laid out for a local authority's million records: per-record facts in flat arrays, cluster state
/// only for clusters of more than one record, no per-record allocation in the hot loops.
struct ClusteringState: Sendable {
    /// What a cluster of more than one record carries; single records answer from the flat arrays.
    struct Cluster: Sendable {
        var pupils: PupilSet
        var givenNames: [NameKey]
        var splitPartners: [Int]
        var matchedOn: MatchKeySet
    }

    /// The records in canonical order (by reference, then source): the order, not the input's, decides
    /// every tie, so the result does not depend on the input's order.
    let records: RecordTable
    /// Canonical position → position in the input.
    let order: [Int]
    /// The tokens of each distinct name, by its number in `records.names`.
    let names: NameTable
    /// Each record's pupils as small integers scoped to the record's source, as one flat array:
    /// record `i` has `pupilFlat[pupilStart[i]..<pupilStart[i + 1]]`.
    let pupilStart: [Int32]
    let pupilFlat: [Int32]
    private(set) var parent: [Int32]
    private(set) var size: [Int32]
    /// Bit 0 female, bit 1 male; bit 0 parent, bit 1 grandparent — per root, the union of its records'.
    private var sexMask: [UInt8]
    private var generationMask: [UInt8]
    var clusters: [Int: Cluster] = [:]
    private var splitPartners: [Int: [Int]] = [:]
    var nearMissCandidates: [(Int, Int, NearMissReason)] = []
    var warnings: [DedupeWarning] = []

    /// - Parameter numbered: the input records' pupils, in the input's order.
    init(records input: consuming RecordTable, pupils numbered: NumberedPupils) {
        let canonical = CanonicalRecords(input)
        records = canonical.table
        order = canonical.order
        // Each distinct name tokenised once, where each record's two names were before.
        names = NameTable(records.names.texts)
        (pupilStart, pupilFlat) = Self.canonical(numbered, order)
        sexMask = records.sex
        generationMask = records.generation
        parent = (0..<Int32(records.count)).map { $0 }
        size = Array(repeating: 1, count: records.count)
    }

    /// Numbered pupils in canonical order: record `i` is the input's `order[i]`.
    private static func canonical(_ numbered: NumberedPupils, _ order: [Int]) -> ([Int32], [Int32]) {
        var start: [Int32] = [0]
        var flat: [Int32] = []
        start.reserveCapacity(order.count + 1)
        flat.reserveCapacity(numbered.flat.count)
        for input in order {
            flat += numbered.flat[Int(numbered.start[input])..<Int(numbered.start[input + 1])]
            start.append(Int32(flat.count))
        }
        return (start, flat)
    }

    mutating func find(_ i: Int) -> Int {
        var root = i
        while Int(parent[root]) != root { root = Int(parent[root]) }
        var node = i
        while Int(parent[node]) != root { (node, parent[node]) = (Int(parent[node]), Int32(root)) }
        return root
    }

    /// The root without path compression, for checks that must not mutate.
    func root(_ i: Int) -> Int {
        var node = i
        while Int(parent[node]) != node { node = Int(parent[node]) }
        return node
    }

    private func pupils(ofRecord i: Int) -> ArraySlice<Int32> {
        pupilFlat[Int(pupilStart[i])..<Int(pupilStart[i + 1])]
    }

    /// The cluster of a root, nil for a root of one record: exactly the roots of more than one record
    /// have a cluster (`union` makes it), so a single record (most roots of most joins) is not looked
    /// up, which hashed its position.
    func cluster(of root: Int) -> Cluster? {
        size[root] > 1 ? clusters[root] : nil
    }

    private func singleton(_ root: Int) -> Cluster {
        Cluster(
            pupils: PupilSet(pupils(ofRecord: root)), givenNames: [names[records.given[root]]],
            splitPartners: splitPartners[root] ?? [], matchedOn: MatchKeySet())
    }

    // MARK: Overrides

    mutating func applyMerges(_ merges: [DedupeOverride], _ index: [String: Int]) {
        for merge in merges {
            guard let (a, b) = resolveReferences(merge, index) else { continue }
            union(a, b, keys: MatchKeySet(.override))
        }
    }

    mutating func applySplits(_ splits: [DedupeOverride], _ index: [String: Int]) {
        for split in splits {
            guard let (a, b) = resolveReferences(split, index) else { continue }
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

    /// Record reference → canonical position, built only when there are overrides to apply.
    func referenceIndex() -> [String: Int] {
        var index: [String: Int] = [:]
        for position in records.indices where index[records.references[position]] == nil {
            index[records.references[position]] = position
        }
        return index
    }

    private mutating func resolveReferences(_ override: DedupeOverride, _ index: [String: Int]) -> (Int, Int)? {
        let missing = [override.record, override.otherRecord].filter { index[$0] == nil }
        guard missing.isEmpty, let a = index[override.record], let b = index[override.otherRecord] else {
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
        // Records from the roster are referenced as `<school>/<contact id>`: then records with the same
        // school and contact id have the same reference and sit together in canonical order, and each is
        // compared only with its neighbours of that reference, where hashing two strings per record in a
        // dictionary was a twentieth of a resolution.
        if records.indices.allSatisfy({
            Self.isReferencedByContactID(
                reference: records.references[$0], school: records.schoolText(of: $0), contactID: records.contactIDs[$0])
        }) {
            var run = 0
            for index in records.indices {
                if index > 0, records.references[index] != records.references[index - 1] { run = index }
                guard let id = records.contactIDs[index], !id.isEmpty else { continue }
                // The first record with the same key, as the dictionary below would hold it.
                guard let earlier = (run..<index).first(where: {
                    records.contactIDs[$0] == id && records.school[$0] == records.school[index]
                }) else { continue }
                if !isSplit(find(earlier), find(index)) { union(earlier, index, keys: MatchKeySet(.contactID)) }
            }
            return
        }
        var first: [SchoolContact: Int] = [:]
        first.reserveCapacity(records.count)
        for index in records.indices {
            guard let id = records.contactIDs[index], !id.isEmpty else { continue }
            let key = SchoolContact(school: records.school[index], contact: id)
            if let earlier = first[key] {
                if !isSplit(find(earlier), find(index)) { union(earlier, index, keys: MatchKeySet(.contactID)) }
            } else {
                first[key] = index
            }
        }
    }

    /// Whether the record's reference is its school and contact id joined by "/" (or it has no id), so
    /// that the same school and id mean the same reference.
    static func isReferencedByContactID(_ record: IdentityRecord) -> Bool {
        isReferencedByContactID(reference: record.reference, school: record.school, contactID: record.contactID)
    }

    /// Compared on the contiguous bytes: the strings' UTF-8 views walked them byte by byte through
    /// index arithmetic, a tenth of the whole same-contact-id join for a local authority.
    static func isReferencedByContactID(reference: String, school: String, contactID: String?) -> Bool {
        guard var contact = contactID else { return true }
        var (reference, school) = (reference, school)
        return reference.withUTF8 { reference in
            school.withUTF8 { school in
                contact.withUTF8 { contact in
                    reference.count == school.count + 1 + contact.count
                        && reference[school.count] == UInt8(ascii: "/")
                        && reference.starts(with: school)
                        && reference[(school.count + 1)...].elementsEqual(contact)
                }
            }
        }
    }

    private struct SchoolContact: Hashable {
        let school: Int32
        let contact: String
    }

    /// A proposed join: the strongest first, then by the pair's positions, as one integer to sort on.
    struct Edge {
        /// The score inverted above the pair key (29 bits a position), so an ascending sort of plain
        /// integers gives the order the joins are tried in.
        let order: UInt64
        let keys: MatchKeySet

        init(score: Int, pair: UInt64, keys: MatchKeySet) {
            // Scores stay below 64: at most three strong keys (30) and the name agreement (up to 4).
            order = UInt64(63 - score) << 58 | pair
            self.keys = keys
        }

        var i: Int { BlockingKeys.indices(of: order & (1 << 58 - 1)).0 }
        var j: Int { BlockingKeys.indices(of: order & (1 << 58 - 1)).1 }
    }


    /// Proposed joins from the blocks, strongest first.
    mutating func joinOnStrongKeys() {
        let blocks = BlockingKeys(records: records, names: names)
        warnings += blocks.warnings
        var edges: [Edge] = []
        edges.reserveCapacity(blocks.pairs.count)
        for (pair, shared) in blocks.pairs {
            let (i, j) = BlockingKeys.indices(of: pair)
            // Names by number: two records of one name (most pairs) agree without reading the name.
            guard names.familiesAgree(records.family[i], records.family[j]),
                let agreement = names.givenAgreement(records.given[i], records.given[j])
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
            if agreement == .initial && shared.matchKeySet == MatchKeySet(.address) {
                nearMissCandidates.append((i, j, .initialOnly))
                continue
            }
            var keys = shared.matchKeySet
            switch agreement {
            case .nickname: keys.insert(.nickname)
            case .slip: keys.insert(.slip)
            case .initial: keys.insert(.initial)
            case .same: break
            }
            edges.append(Edge(score: shared.strongCount * 10 + agreement.rawValue, pair: pair, keys: keys))
        }
        edges.sort { $0.order < $1.order }
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
        let (a, b) = (cluster(of: ra), cluster(of: rb))
        if sharePupil(ra, a, rb, b) { return .samePupil }
        if generationMask[ra] | generationMask[rb] == 3 { return .generation }
        if sexMask[ra] | sexMask[rb] == 3 { return .sex }
        // Two single records were checked as a pair already; a cluster's every name must fit.
        if a != nil || b != nil,
            !NameCompatibility.givenNamesCanJoin(
                a?.givenNames ?? [names[records.given[ra]]], b?.givenNames ?? [names[records.given[rb]]])
        {
            return .some(nil)
        }
        return nil
    }

    private func sharePupil(_ ra: Int, _ a: Cluster?, _ rb: Int, _ b: Cluster?) -> Bool {
        switch (a, b) {
        case (nil, nil):
            let pb = pupils(ofRecord: rb)
            return pupils(ofRecord: ra).contains { pb.contains($0) }
        case (let a?, nil): return pupils(ofRecord: rb).contains { a.pupils.contains($0) }
        case (nil, let b?): return pupils(ofRecord: ra).contains { b.pupils.contains($0) }
        case (let a?, let b?): return !a.pupils.isDisjoint(with: b.pupils)
        }
    }

    func isSplit(_ ra: Int, _ rb: Int) -> Bool {
        if splitPartners.isEmpty { return false }
        let a = clusters[ra]?.splitPartners ?? splitPartners[ra] ?? []
        let b = clusters[rb]?.splitPartners ?? splitPartners[rb] ?? []
        // Partners are record indices; a record's root may have moved, so compare through the roots.
        return a.contains { root($0) == rb } || b.contains { root($0) == ra }
    }

    private mutating func union(_ i: Int, _ j: Int, keys: MatchKeySet) {
        var (ri, rj) = (find(i), find(j))
        guard ri != rj else { return }
        if size[ri] < size[rj] { swap(&ri, &rj) }
        // Taken out of the dictionary before changing, so the sets are not copied on write.
        // A root of one record has no cluster yet (see `cluster(of:)`).
        var merged = size[ri] > 1 ? clusters.removeValue(forKey: ri)! : singleton(ri)
        let other = size[rj] > 1 ? clusters.removeValue(forKey: rj)! : singleton(rj)
        merged.pupils.formUnion(other.pupils)
        for name in other.givenNames where !merged.givenNames.contains(where: { $0.joined == name.joined }) {
            merged.givenNames.append(name)
        }
        merged.splitPartners += other.splitPartners
        merged.matchedOn.formUnion(other.matchedOn)
        merged.matchedOn.formUnion(keys)
        parent[rj] = Int32(ri)
        size[ri] += size[rj]
        sexMask[ri] |= sexMask[rj]
        generationMask[ri] |= generationMask[rj]
        clusters[ri] = merged
    }
}

/// The records in canonical order (by reference, then source), and where each was in the input.
struct CanonicalRecords: Sendable {
    /// The records, permuted into canonical order.
    let table: RecordTable
    /// Canonical position → position in the input.
    let order: [Int]

    init(_ input: RecordTable) {
        // Sorted on the references alone, then the sources' names.
        let references = input.references
        let sourceOf = input.source
        let sourceNames = input.sources.texts
        if let keys = Self.asciiSortKeys(references) {
            // Integers compared first; the texts only where the first 16 bytes agree and one is longer.
            order = input.indices.sorted { a, b in
                let (x, y) = (keys[a], keys[b])
                if x.high != y.high { return x.high < y.high }
                if x.low != y.low { return x.low < y.low }
                // Both within 16 bytes, so the shorter is a prefix of the longer.
                if x.length != y.length, x.length <= 16, y.length <= 16 { return x.length < y.length }
                return references[a] != references[b]
                    ? references[a] < references[b] : sourceNames[Int(sourceOf[a])] < sourceNames[Int(sourceOf[b])]
            }
        } else {
            order = input.indices.sorted {
                references[$0] != references[$1]
                    ? references[$0] < references[$1] : sourceNames[Int(sourceOf[$0])] < sourceNames[Int(sourceOf[$1])]
            }
        }
        table = input.permuted(order)
    }

    /// The canonical order of public records (for tests).
    init(_ records: [IdentityRecord]) {
        self.init(RecordTable(records))
    }

    /// A key per reference that sorts as the reference does up to its 16th byte: its first 16 bytes,
    /// big-endian and padded with zeros, and its length. Sorting by these plain integers costs a fraction of comparing the
    /// texts (a local authority's references share a school's prefix, so most comparisons read far).
    /// Only for ASCII references, where the order of strings is the order of their bytes; nil otherwise.
    struct SortKey: Equatable {
        let high: UInt64
        let low: UInt64
        let length: Int
    }

    static func asciiSortKeys(_ references: [String]) -> [SortKey]? {
        var keys: [SortKey] = []
        keys.reserveCapacity(references.count)
        for reference in references {
            guard let key = MatchForm.withASCII(reference, { bytes -> SortKey in
                var (high, low): (UInt64, UInt64) = (0, 0)
                for position in 0..<16 {
                    let byte = position < bytes.count ? UInt64(bytes[position]) : 0
                    if position < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
                }
                return SortKey(high: high, low: low, length: bytes.count)
            }) else { return nil }
            keys.append(key)
        }
        return keys
    }
}
