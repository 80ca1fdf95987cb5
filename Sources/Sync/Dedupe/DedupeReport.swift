import Reconcile
import Roster

/// What `ldap-sync dedupe` reports: every person with records, children, eligibility and reasons and
/// `matched_on`; the near misses; and the warnings, from identity resolution and from reading the
/// sources. Rendered as JSON (DESIGN.md Part B), CSV, or text for the school office.
public struct DedupeReport: Sendable {
    public var resolution: ParentResolution
    /// Warnings the readers raised, with their file and line.
    public var sourceWarnings: [RosterWarning]
    /// School id → name, where a source or the config gives one, for the text report.
    public var schoolNames: [String: String]
    /// Source file → the school it holds, to group the readers' warnings by school.
    public var schoolOfFile: [String: String]
    /// How many contact records the sources held.
    public var recordCount: Int
    /// The day of the run (for "on roll").
    public var date: CalendarDate
    /// The wording of the reasons.
    public var jurisdiction: Jurisdiction

    public init(
        resolution: ParentResolution, sourceWarnings: [RosterWarning] = [], schoolNames: [String: String] = [:],
        schoolOfFile: [String: String] = [:], recordCount: Int, date: CalendarDate, jurisdiction: Jurisdiction = .unspecified
    ) {
        self.resolution = resolution
        self.sourceWarnings = sourceWarnings
        self.schoolNames = schoolNames
        self.schoolOfFile = schoolOfFile
        self.recordCount = recordCount
        self.date = date
        self.jurisdiction = jurisdiction
    }

    /// The output formats of `dedupe --format`.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    /// The report in `format`.
    public func rendered(as format: Format) throws -> String {
        switch format {
        case .text: text()
        case .json: try json()
        case .csv: csv()
        }
    }

    /// Record reference → the person holding it, for naming records in messages.
    var parentOfRecord: [String: Parent] {
        var map: [String: Parent] = [:]
        for parent in resolution.parents {
            for record in parent.records { map[record.description] = parent }
        }
        return map
    }
}
