/// Frees large values a run no longer needs on another thread than the run's own. Freeing 100,000
/// people's or entries' values one by one takes a few tenths of a second of a single core; handed to a
/// task of their own, they are freed while the run goes on with what it still has to do.
enum FreedElsewhere {
    /// Lets `value` go in a detached task: when it ends, the task holds the last reference to it.
    static func free(_ value: consuming some Sendable) {
        let held = value
        Task.detached(priority: .utility) { withExtendedLifetime(held) {} }
    }
}
