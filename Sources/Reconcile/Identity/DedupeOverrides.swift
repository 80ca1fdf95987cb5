/// IT's corrections to identity resolution (config `dedupe: overrides:`), applied over what the data
/// says: a `merge` makes two records one person whatever their details, a `split` keeps two records
/// apart whatever joins them. Overrides always win over matching.
public struct DedupeOverride: Sendable, Hashable {
    /// Merge or split.
    public enum Action: String, Sendable, Hashable, CaseIterable, Codable {
        case merge, split
    }

    public var action: Action
    /// The two record references (DESIGN.md Part B).
    public var record: String
    public var otherRecord: String
    /// Who set it and when, and why: kept for the reports.
    public var setBy: String
    public var setOn: String
    public var note: String
    /// Where it came from, for messages (`dedupe-overrides.csv:4`).
    public var origin: String

    public init(
        action: Action, record: String, otherRecord: String, setBy: String = "", setOn: String = "",
        note: String = "", origin: String = ""
    ) {
        self.action = action
        self.record = record
        self.otherRecord = otherRecord
        self.setBy = setBy
        self.setOn = setOn
        self.note = note
        self.origin = origin
    }
}
