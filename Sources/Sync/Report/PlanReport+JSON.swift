import Foundation
import Reconcile

extension PlanReport {
    /// DESIGN.md Part B's JSON: `summary`, `changes`, `held`, `warnings` (the plan's own encoding), and
    /// `vle.moodle` when the Moodle connector is configured.
    public func json() throws -> String {
        let encoder = Self.jsonEncoder()
        return try Self.changesOneByOne(WithVLE(plan: plan, moodle: moodle), encoder)
            ?? Self.whole(WithVLE(plan: plan, moodle: moodle), encoder)
    }

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The report encoded in one piece.
    static func whole(_ report: WithVLE, _ encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// The same text, with each change encoded on its own and set into the rest. Foundation's encoder
    /// holds a tree of the whole value before writing it: a council's first run (100,000 creates, a 300 MB
    /// report) took 2.2 GB and 23 s that way. Nil when the rest does not begin as this expects (the
    /// caller then encodes it whole); `changesOneByOneIsTheWholeEncoding` holds the two equal.
    static func changesOneByOne(_ report: WithVLE, _ encoder: JSONEncoder) throws -> String? {
        guard !report.plan.changes.isEmpty else { return nil }
        var rest = report
        rest.plan.changes = []
        let skeleton = String(decoding: try encoder.encode(rest), as: UTF8.self)
        // Sorted keys put `changes` first; the empty array after it is replaced by the changes.
        let head = "{\n  \"changes\" : "
        guard skeleton.hasPrefix(head) else { return nil }
        let afterHead = skeleton.index(skeleton.startIndex, offsetBy: head.count)
        guard let end = skeleton.range(of: ",\n  \"", range: afterHead..<skeleton.endIndex) else { return nil }
        let empty = skeleton[afterHead..<end.lowerBound]
        guard empty.first == "[", empty.last == "]", empty.dropFirst().dropLast().allSatisfy(\.isWhitespace) else { return nil }
        var bytes = Array((head + "[\n").utf8)
        for (position, change) in report.plan.changes.enumerated() {
            if position > 0 { bytes.append(contentsOf: ",\n".utf8) }
            // Two levels deep: JSON strings hold no raw line break, so every line is indented alike, except
            // the empty line the encoder writes inside an empty array, which it leaves without indentation.
            let encoded = try encoder.encode(change)
            var lineStart = true
            for byte in encoded {
                if lineStart && byte != UInt8(ascii: "\n") { bytes.append(contentsOf: "    ".utf8) }
                bytes.append(byte)
                lineStart = byte == UInt8(ascii: "\n")
            }
        }
        bytes.append(contentsOf: "\n  ]".utf8)
        bytes.append(contentsOf: skeleton[end.lowerBound...].utf8)
        bytes.append(contentsOf: "\n".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The plan's keys, then `vle: {moodle: …}`.
    struct WithVLE: Encodable {
        var plan: Plan
        var moodle: MoodlePlanSection?

        enum CodingKeys: String, CodingKey { case vle }
        enum VLEKeys: String, CodingKey { case moodle }

        func encode(to encoder: any Encoder) throws {
            try plan.encode(to: encoder)
            guard let moodle else { return }
            var container = encoder.container(keyedBy: CodingKeys.self)
            var vle = container.nestedContainer(keyedBy: VLEKeys.self, forKey: .vle)
            try vle.encode(moodle, forKey: .moodle)
        }
    }
}
