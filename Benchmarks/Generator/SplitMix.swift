/// A small, fast, seedable generator (SplitMix64): the same seed makes the same authority everywhere.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// An element of `pool`, the first ones far more often than the last (roughly Zipf), as names are.
    mutating func common<T>(_ pool: [T]) -> T {
        let u = Double.random(in: 0..<1, using: &self)
        return pool[min(pool.count - 1, Int(Double(pool.count) * u * u * u))]
    }
}
