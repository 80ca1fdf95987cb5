import Foundation

/// The `safety` limits of the config that the planner applies.
public struct SafetyLimits: Sendable, Hashable {
    /// Disables of disappeared contacts allowed per school and overall.
    public var maxDisable: SafetyLimit
    /// Unlinks of disappeared links allowed per school and overall (revocations never count).
    public var maxUnlink: SafetyLimit
    /// Deletes allowed in one run; 0 means no deletes at all.
    public var maxDelete: Int
    /// Days an account stays disabled before it is deleted; 0 means never delete.
    public var deleteAfterDays: Int

    public init(
        maxDisable: SafetyLimit = .percentage(5), maxUnlink: SafetyLimit = .percentage(5),
        maxDelete: Int = 0, deleteAfterDays: Int = 0
    ) {
        self.maxDisable = maxDisable
        self.maxUnlink = maxUnlink
        self.maxDelete = maxDelete
        self.deleteAfterDays = deleteAfterDays
    }
}

/// A limit given as a count (`"25"`) or as a percentage of the managed accounts (`"5%"`).
public enum SafetyLimit: Sendable, Hashable {
    case count(Int)
    case percentage(Double)

    /// Parses the config's form: a whole number, or a number followed by `%`. nil when malformed.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)),
                value >= 0, value <= 100
            else { return nil }
            self = .percentage(value)
        } else {
            guard let value = Int(trimmed), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// Whether `count` changes exceed the limit among `managed` accounts. A percentage is compared
    /// exactly, not rounded: 5% of 10 accounts allows no disable, since half a disable cannot happen.
    func isExceeded(by count: Int, managed: Int) -> Bool {
        switch self {
        case .count(let limit): count > limit
        case .percentage(let percent): Double(count) * 100 > percent * Double(managed)
        }
    }
}
