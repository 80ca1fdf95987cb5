import Foundation

extension AccessHistory {
    /// The history for a person to read: one line per parent–child pair visible on the day.
    public var text: String {
        var lines: [String] = []
        switch subject {
        case .pupil(let pupil): lines.append("Who could see \(pupil) on \(day) (UTC), from the audit log:")
        case .parent(let username): lines.append("Which children could \(username) see on \(day) (UTC), from the audit log:")
        }
        if let logStarts {
            if day < String(logStarts.prefix(10)) {
                lines.append("The audit log begins at \(logStarts): it says nothing about this day.")
            } else {
                lines.append("(the log begins at \(logStarts); links made before that are not in it)")
            }
        } else {
            lines.append("The audit log is empty: no run has written to the directory yet.")
        }
        if pairs.isEmpty, logStarts != nil { lines.append("Nobody, as far as the log shows.") }
        for pair in pairs {
            let who: String = switch subject {
            case .pupil: "\(pair.username)  \(pair.dn)"
            case .parent: pair.pupil
            }
            var when: [String] = []
            when.append(pair.from.map { "from \($0)" } ?? "from the start of the day")
            when.append(pair.until.map { "until \($0)" } ?? "to the end of the day")
            var line = "  \(who): \(when.joined(separator: " "))"
            if let linked = pair.linkedBy {
                line += "; linked \(linked.time) by run \(linked.run) (\(linked.action)\(Self.reasonsText(linked.reasons)))"
            }
            if let ended = pair.endedBy {
                line += "; ended by run \(ended.run) (\(ended.action)\(Self.reasonsText(ended.reasons)))"
            }
            if pair.statusAssumed { line += "; account status not in the log, taken as active" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func reasonsText(_ reasons: [String]) -> String {
        reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")
    }

    /// `{"date", "pupil" | "parent", "log_starts", "visible": [{"parent", "dn", "pupil", "from", "until",
    /// "linked_by", "ended_by", "status_assumed"}]}`; `from`/`until` are null for the day's start and end.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(self)), as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        var date: String
        var pupil: String?
        var parent: String?
        var logStarts: String?
        var visible: [PairJSON]

        init(_ history: AccessHistory) {
            date = history.day
            switch history.subject {
            case .pupil(let reference): pupil = reference
            case .parent(let username): parent = username
            }
            logStarts = history.logStarts
            visible = history.pairs.map(PairJSON.init)
        }

        enum CodingKeys: String, CodingKey {
            case date, pupil, parent, visible
            case logStarts = "log_starts"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(date, forKey: .date)
            try container.encodeIfPresent(pupil, forKey: .pupil)
            try container.encodeIfPresent(parent, forKey: .parent)
            try container.encode(logStarts, forKey: .logStarts)
            try container.encode(visible, forKey: .visible)
        }
    }

    private struct EventJSON: Encodable {
        var time: String
        var run: String
        var action: String
        var reasons: [String]

        init(_ event: Event) {
            time = event.time
            run = event.run
            action = event.action
            reasons = event.reasons
        }
    }

    private struct PairJSON: Encodable {
        var parent: String
        var dn: String
        var pupil: String
        var from: String?
        var until: String?
        var linkedBy: EventJSON?
        var endedBy: EventJSON?
        var statusAssumed: Bool

        init(_ pair: Pair) {
            parent = pair.username
            dn = pair.dn
            pupil = pair.pupil
            from = pair.from
            until = pair.until
            linkedBy = pair.linkedBy.map(EventJSON.init)
            endedBy = pair.endedBy.map(EventJSON.init)
            statusAssumed = pair.statusAssumed
        }

        enum CodingKeys: String, CodingKey {
            case parent, dn, pupil, from, until
            case linkedBy = "linked_by"
            case endedBy = "ended_by"
            case statusAssumed = "status_assumed"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(parent, forKey: .parent)
            try container.encode(dn, forKey: .dn)
            try container.encode(pupil, forKey: .pupil)
            try container.encode(from, forKey: .from)
            try container.encode(until, forKey: .until)
            try container.encode(linkedBy, forKey: .linkedBy)
            try container.encode(endedBy, forKey: .endedBy)
            try container.encode(statusAssumed, forKey: .statusAssumed)
        }
    }
}
