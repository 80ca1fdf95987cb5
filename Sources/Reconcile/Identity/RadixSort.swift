/// Ascending sort of plain 64-bit integers by their bytes (least significant first), for the packed
/// keys blocking sorts: a local authority's hundreds of thousands of keys and pairs. The standard
/// library's comparison sort took a twentieth of a resolution there (about twenty comparisons and moves
/// an element); this reads each element once to count and once per byte that varies.
///
/// Integers have no identity beyond their value, so the result is exactly `sort()`'s.
enum RadixSort {
    /// Below this many elements the comparison sort is cheaper than clearing the counts.
    static let smallest = 512

    static func sort(_ values: inout [UInt64]) {
        guard values.count >= smallest else {
            values.sort()
            return
        }
        let count = values.count
        // Every byte's histogram in one pass over the values.
        var histograms = [Int](repeating: 0, count: 8 * 256)
        histograms.withUnsafeMutableBufferPointer { histograms in
            for value in values {
                for byte in 0..<8 { histograms[byte << 8 | Int(truncatingIfNeeded: value >> UInt64(byte * 8)) & 0xFF] += 1 }
            }
        }
        var buffer = [UInt64](repeating: 0, count: count)
        for byte in 0..<8 {
            let histogram = histograms[(byte << 8)..<(byte << 8 + 256)]
            // A byte every value shares leaves the order as it is: no pass (the high bytes of small keys).
            if histogram.contains(count) { continue }
            var next = [Int](repeating: 0, count: 256)
            var total = 0
            for digit in 0..<256 {
                next[digit] = total
                total += histogram[byte << 8 + digit]
            }
            let shift = UInt64(byte * 8)
            values.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    next.withUnsafeMutableBufferPointer { next in
                        for value in source {
                            let digit = Int(truncatingIfNeeded: value >> shift) & 0xFF
                            target[next[digit]] = value
                            next[digit] += 1
                        }
                    }
                }
            }
            swap(&values, &buffer)
        }
    }
}
