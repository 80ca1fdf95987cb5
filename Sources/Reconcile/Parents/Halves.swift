import Dispatch

/// Work split in two halves run on two threads, for the stages of a resolution whose items are
/// independent (building each source's records, deciding each person's eligibility): the machine a
/// local authority's sync runs on has a second core, and a million records keep both busy for seconds.
/// Small inputs run on the calling thread, where a thread hand-off would cost more than it saves.
enum Halves {
    /// Below this many items the work runs on one thread.
    static let smallest = 20_000

    /// Where `0..<count` is cut so that the two halves weigh about the same; `weight(i)` is item `i`'s
    /// share of the work (1 for even items).
    static func cut(_ count: Int, weight: (Int) -> Int = { _ in 1 }) -> Int {
        let total = (0..<count).reduce(0) { $0 + weight($1) }
        var sum = 0
        for item in 0..<count {
            if sum * 2 >= total { return item }
            sum += weight(item)
        }
        return count
    }

    /// `body` of `0..<cut` and of `cut..<count`, in that order: on two threads when `parallel`.
    static func run<T: Sendable>(
        _ count: Int, cut: Int, parallel: Bool, _ body: @Sendable (Range<Int>) -> T
    ) -> (T, T) {
        guard parallel, cut > 0, cut < count else { return (body(0..<cut), body(cut..<count)) }
        let results = Results<T>()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 { results.first = body(0..<cut) } else { results.second = body(cut..<count) }
        }
        return (results.first!, results.second!)
    }

    /// `first()` and `second()`, two independent pieces of work, on two threads when `parallel`.
    static func both<A: Sendable, B: Sendable>(
        parallel: Bool, _ first: @Sendable () -> A, _ second: @Sendable () -> B
    ) -> (A, B) {
        guard parallel else { return (first(), second()) }
        let results = Pair<A, B>()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 { results.first = first() } else { results.second = second() }
        }
        return (results.first!, results.second!)
    }

    /// As `Results`, for two pieces of work of different types.
    private final class Pair<A, B>: @unchecked Sendable {
        var first: A?
        var second: B?
    }

    /// Each half writes only its own slot, and both are read after `concurrentPerform` has returned,
    /// which orders the writes before the reads.
    private final class Results<T>: @unchecked Sendable {
        var first: T?
        var second: T?
    }
}
