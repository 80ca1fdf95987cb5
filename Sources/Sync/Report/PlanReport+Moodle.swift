import Foundation

/// The Moodle calls a run would make after writing the plan (`vle.moodle` set): listed by `plan` in
/// every human format and under `vle.moodle` in its JSON.
public struct MoodlePlanSection: Sendable, Equatable, Encodable {
    /// In the order the run would make them (owed calls first).
    public var calls: [MoodleCall]
    /// How many of `calls` are owed from an earlier run.
    public var owed: Int

    public init(calls: [MoodleCall], owed: Int) {
        self.calls = calls
        self.owed = owed
    }

    enum CodingKeys: String, CodingKey { case calls, owed }

    /// `{"calls": [{"function", "kind", "parent", "pupil"}], "owed": n}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(calls.map(Entry.init), forKey: .calls)
        try container.encode(owed, forKey: .owed)
    }

    struct Entry: Encodable {
        var function: String
        var kind: String
        var parent: String
        var pupil: String?

        init(_ call: MoodleCall) {
            function = call.kind.function
            kind = call.kind.rawValue
            parent = call.parent
            pupil = call.pupil
        }
    }

    /// The text report's section.
    var text: String {
        var out = "\nMOODLE (\(calls.count) call(s) after the directory is written"
        out += owed > 0 ? ", \(owed) owed from an earlier run, made first)\n" : ")\n"
        if calls.isEmpty { out += "  Nothing to tell Moodle.\n" }
        for call in calls { out += "  \(call.description)\n" }
        return out
    }

    /// The HTML report's section.
    var html: String {
        var out = "<h2>Moodle (\(calls.count) call(s) after the directory is written\(owed > 0 ? ", \(owed) owed from an earlier run" : ""))</h2>\n"
        if calls.isEmpty { return out + "<p>Nothing to tell Moodle.</p>\n" }
        out += "<table class=\"moodle\"><thead><tr><th>Function</th><th>Parent</th><th>Pupil</th><th>What</th></tr></thead><tbody>\n"
        for call in calls {
            out += "<tr><td><code>\(call.kind.function)</code></td><td>\(PlanReport.escape(call.parent))</td>"
            out += "<td>\(PlanReport.escape(call.pupil ?? ""))</td><td>\(call.kind.rawValue)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}
