/// A set of reason codes as bits in `ReasonCode` declaration order: a link's reasons are gathered
/// without intermediate arrays and come out in report order without a sort. A local authority's run
/// decides nearly two million links, so the arrays and sorts per link showed in its profile.
struct ReasonSet: Equatable {
    private(set) var bits: UInt16 = 0

    init() {}

    init(_ reasons: some Sequence<ReasonCode>) {
        for reason in reasons { insert(reason) }
    }

    var isEmpty: Bool { bits == 0 }

    mutating func insert(_ reason: ReasonCode) { bits |= 1 << reason.ordinal }

    mutating func formUnion(_ other: ReasonSet) { bits |= other.bits }

    /// The reasons in `ReasonCode` order (the order every report lists them).
    var sorted: [ReasonCode] {
        var rest = bits
        var reasons: [ReasonCode] = []
        reasons.reserveCapacity(rest.nonzeroBitCount)
        while rest != 0 {
            reasons.append(ReasonCode.declared[rest.trailingZeroBitCount])
            rest &= rest - 1
        }
        return reasons
    }
}

extension ReasonCode {
    /// The position in declaration order, which is the order reasons sort in. `allCases` builds a new
    /// array on every call, so the position is looked up in one built once.
    var ordinal: Int { Self.declared.firstIndex(of: self)! }

    static let declared = allCases
}
