/// A repeatable random sequence for the test suites (SplitMix64): a failing case names its seed, and the
/// same seed gives the same inputs again. A `RandomNumberGenerator`, so `shuffled(using:)`,
/// `Int.random(in:using:)` and the like take it too.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0). The remainder's slight bias towards small numbers does not
    /// matter to a test's inputs, and it keeps each draw one step of the sequence.
    public mutating func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// One of `values` (not empty).
    public mutating func pick<T>(_ values: [T]) -> T {
        values[next(values.count)]
    }
}
