import Dispatch

/// Work split in two halves run on two threads, for the stages of a resolution whose items are
/// independent (building each source's records, deciding each person's eligibility): the machine a
/// local authority's sync runs on has a second core, and a million records keep both busy for seconds.
/// Small inputs run on the calling thread, where a thread hand-off would cost more than it saves.
/// Public for the run's own stages of independent items (the people's entries).
public enum Halves {
    /// Below this many items the work runs on one thread.
    public static let smallest = 20_000

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

    /// One array of `count` items, `0..<cut` filled by one call of `body` and `cut..<count` by another
    /// (on two threads when `parallel`), each item put in its place (`Slots.put`) and each call's other
    /// result returned beside it. Two arrays joined copied every item (a person is a dozen values, each
    /// retained and released).
    public static func fill<Item, Other: Sendable>(
        _ count: Int, cut: Int, parallel: Bool, _ body: @Sendable (Range<Int>, Slots<Item>) -> Other
    ) -> (items: [Item], first: Other, second: Other) {
        var others: (Other, Other)?
        let items = [Item](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress)
            others = run(count, cut: cut, parallel: parallel) { body($0, slots) }
            initialized = count
        }
        return (items, others!.0, others!.1)
    }

    /// Where `fill`'s calls put their items: each its own range of the array, every place of it once.
    public struct Slots<Item>: @unchecked Sendable {
        fileprivate let base: UnsafeMutablePointer<Item>?

        public func put(_ item: consuming Item, at index: Int) {
            (base! + index).initialize(to: item)
        }
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

/// Values that both halves only read (never write), handed to them together: the caller vouches that
/// nothing changes them while the halves run.
public struct ReadOnly<Value>: @unchecked Sendable {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }
}
