import Foundation

/// How long a run waits before reconnecting to a directory that went away: `base` seconds, doubling
/// with each attempt up to `cap`, so a server restarting gets room and a flapping one is not hammered.
/// How many attempts is `directory.retries`.
public struct RetryBackoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 1, cap: Double = 30) {
        self.base = base
        self.cap = cap
    }

    /// The wait before reconnect attempt `attempt` (1, 2, …).
    public func delay(before attempt: Int) -> Double {
        min(cap, base * pow(2, Double(max(0, attempt - 1))))
    }
}
