/// The pupils of one cluster, as numbers: a short array while the cluster is small (nearly every
/// cluster: a parent has a few children), a `Set` once it grows past `largestArray`.
///
/// Clusters are built by the tens of thousands in a local authority's resolution, each from two
/// records of one or two pupils: hashing every number into a new `Set` for each of them was most of a
/// join's cost, where a linear look through a handful of integers costs next to nothing. The `Set`
/// keeps a cluster that overrides or one contact id made large from turning each test quadratic.
struct PupilSet: Sendable {
    /// Past this many pupils the set hashes.
    static let largestArray = 16

    private var small: [Int32] = []
    private var large: Set<Int32>?

    init<S: Sequence<Int32>>(_ pupils: S) {
        for pupil in pupils { insert(pupil) }
    }

    var count: Int { large?.count ?? small.count }

    func contains(_ pupil: Int32) -> Bool {
        if let large { return large.contains(pupil) }
        return small.contains(pupil)
    }

    mutating func insert(_ pupil: Int32) {
        if large != nil {
            large!.insert(pupil)
        } else if !small.contains(pupil) {
            small.append(pupil)
            if small.count > Self.largestArray {
                large = Set(small)
                small = []
            }
        }
    }

    mutating func formUnion(_ other: PupilSet) {
        if let otherLarge = other.large {
            for pupil in otherLarge { insert(pupil) }
        } else {
            for pupil in other.small { insert(pupil) }
        }
    }

    /// Whether no pupil is in both.
    func isDisjoint(with other: PupilSet) -> Bool {
        // The smaller side is walked and looked up in the larger.
        let (walked, searched) = count <= other.count ? (self, other) : (other, self)
        if let large = walked.large { return !large.contains { searched.contains($0) } }
        return !walked.small.contains { searched.contains($0) }
    }
}
