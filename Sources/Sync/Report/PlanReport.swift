import Foundation
import Reconcile

/// A plan as people and scripts read it: `plan --format text|json|csv|html|ldif`.
public struct PlanReport: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv, html, ldif
    }

    public var plan: Plan
    /// Where the plan came from, for the headers of the human formats (config file, time).
    public var title: String
    public var generatedAt: Date
    /// `policy.jurisdiction`: the wording of the reasons (never their codes).
    public var jurisdiction: Jurisdiction
    /// The Moodle calls the run would make, when `vle.moodle` is set.
    public var moodle: MoodlePlanSection?

    public init(
        plan: Plan, title: String, generatedAt: Date, jurisdiction: Jurisdiction = .unspecified, moodle: MoodlePlanSection? = nil
    ) {
        self.jurisdiction = jurisdiction
        self.moodle = moodle
        self.plan = plan
        self.title = title
        self.generatedAt = generatedAt
    }

    public func rendered(as format: Format) throws -> String {
        switch format {
        case .text: text()
        case .json: try json()
        case .csv: csv()
        case .html: html()
        case .ldif: ldif()
        }
    }

    /// Actions in the order a person reads them: what takes access away first.
    static let actionOrder: [ChangeAction] = [.unlink, .disable, .delete, .create, .link, .enable, .update]

    /// The summary counts in Part B's key order.
    var counts: [(String, Int)] {
        let s = plan.summary
        return [("create", s.create), ("update", s.update), ("disable", s.disable), ("enable", s.enable),
                ("delete", s.delete), ("link", s.link), ("unlink", s.unlink), ("unchanged", s.unchanged), ("held", s.held)]
    }

    static func timestamp(_ date: Date) -> String {
        Timestamp.iso8601(date)
    }
}
