import Directory
import Foundation
import Reconcile

/// Who could see a child (or which children a parent could see) on a past day, from the audit log alone:
/// the log's writes are replayed up to that day, then through it, and every parent–child pair visible at
/// any moment of the day is listed with when it began and ended.
///
/// A pair is visible while the entry links the pupil (`misChildRef`) and its status is `active`. An entry
/// the log never gave a status (made before the log began) counts as active: for a safeguarding question,
/// "may have seen" is the safe answer.
public struct AccessHistory: Sendable {
    /// One parent–child pair visible on the day.
    public struct Pair: Sendable, Equatable {
        public var dn: String
        public var username: String
        public var pupil: String
        /// When it became visible during the day; nil when it already was at midnight.
        public var from: String?
        /// When it stopped being visible during the day; nil when it still was at the end of the day.
        public var until: String?
        /// The write that linked the pupil (time, run, reasons), when the log holds it.
        public var linkedBy: Event?
        /// The write that ended it, when it ended during the day.
        public var endedBy: Event?
        /// True when the log never set this entry's status (treated as active).
        public var statusAssumed: Bool
    }

    /// A write of the log, as the history cites it.
    public struct Event: Sendable, Equatable {
        public var time: String
        public var run: String
        public var action: String
        public var reasons: [String]
    }

    /// What was asked: a pupil reference or a username.
    public enum Subject: Sendable, Equatable {
        case pupil(String)
        case parent(String)
    }

    public var subject: Subject
    /// `YYYY-MM-DD`, a day in UTC.
    public var day: String
    /// The time of the log's first record, nil for an empty log.
    public var logStarts: String?
    public var pairs: [Pair]

    /// Replays `records` (oldest first, as `AuditLog.read` returns them) for `subject` on `day`.
    public static func replay(_ records: [AuditRecord], subject: Subject, day: String) throws(AccessError) -> AccessHistory {
        guard Self.isDay(day) else { throw .badDate(day) }
        var state = Replay()
        let ordered = records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var index = ordered.startIndex
        while index < ordered.endIndex, Self.day(of: ordered[index]) < day {
            state.apply(ordered[index])
            index += 1
        }
        var open: [String: Pair] = [:]
        var closed: [Pair] = []
        func refresh(at event: AuditRecord?) {
            let visible = state.visiblePairs(matching: subject)
            for (key, pair) in visible where open[key] == nil {
                var pair = pair
                pair.from = event?.time
                open[key] = pair
            }
            for (key, pair) in open where visible[key] == nil {
                var pair = pair
                pair.until = event?.time
                pair.endedBy = event.map(Event.init)
                closed.append(pair)
                open[key] = nil
            }
        }
        refresh(at: nil)
        while index < ordered.endIndex, Self.day(of: ordered[index]) == day {
            state.apply(ordered[index])
            refresh(at: ordered[index])
            index += 1
        }
        let pairs = (closed + open.values).sorted { ($0.username, $0.pupil, $0.from ?? "") < ($1.username, $1.pupil, $1.from ?? "") }
        return AccessHistory(subject: subject, day: day, logStarts: ordered.first?.time, pairs: pairs)
    }

    /// The UTC day of a record's time (`2026-11-29T13:15:00Z` → `2026-11-29`).
    static func day(of record: AuditRecord) -> String { String(record.time.prefix(10)) }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let dayOfMonth = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(dayOfMonth)
    }
}

extension AccessHistory.Event {
    init(_ record: AuditRecord) {
        self.init(time: record.time, run: record.run, action: record.action ?? record.event, reasons: record.reasons ?? [])
    }
}

/// The directory's parent entries as the log's writes built them.
private struct Replay {
    struct Account {
        var dn: String
        var status: String?
        var links: [String: AccessHistory.Event?] = [:]
    }

    var accounts: [String: Account] = [:]

    /// Applies one successful write: its attribute changes to `misChildRef` and `misAccountStatus`, or
    /// for a record that lists none, what its action says (`link`, `unlink`, `revoke` name the pupil).
    mutating func apply(_ record: AuditRecord) {
        guard let dn = record.dn, record.result == nil || record.result == "ok" else { return }
        let key = DistinguishedName.comparisonKey(of: dn)
        if record.action == ChangeAction.delete.rawValue {
            accounts[key] = nil
            return
        }
        var account = accounts[key] ?? Account(dn: dn)
        let event = AccessHistory.Event(record)
        let changes = record.changes ?? [:]
        var touchedLinks = false
        for (change, values) in changes {
            let parts = change.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let (kind, attribute) = (parts[0], parts[1].lowercased())
            if attribute == ParentAttribute.misChildRef.lowercased() {
                touchedLinks = true
                switch kind {
                case "add": for value in values { account.links[value] = event }
                case "replace": account.links = Dictionary(values.map { ($0, event) }, uniquingKeysWith: { first, _ in first })
                case "delete": if values.isEmpty { account.links = [:] } else { for value in values { account.links[value] = nil } }
                default: break
                }
            } else if attribute == ParentAttribute.misAccountStatus.lowercased() {
                switch kind {
                case "add", "replace": account.status = values.first?.lowercased()
                case "delete": account.status = nil
                default: break
                }
            }
        }
        if !touchedLinks, let pupil = record.pupil {
            switch record.action ?? record.event {
            case ChangeAction.link.rawValue: account.links[pupil] = event
            case ChangeAction.unlink.rawValue, "revoke": account.links[pupil] = nil
            default: break
            }
        }
        if !changes.keys.contains(where: { $0.lowercased().hasSuffix(":" + ParentAttribute.misAccountStatus.lowercased()) }) {
            // A record without the status change still says what a disable or an enable did.
            if record.action == ChangeAction.disable.rawValue { account.status = AccountStatus.disabled.rawValue }
            if record.action == ChangeAction.enable.rawValue { account.status = AccountStatus.active.rawValue }
        }
        if record.event == "handover" { account.status = AccountStatus.active.rawValue }
        accounts[key] = account
    }

    /// Every pair visible now (linked on an account whose status is active or unknown) that concerns `subject`.
    func visiblePairs(matching subject: AccessHistory.Subject) -> [String: AccessHistory.Pair] {
        var pairs: [String: AccessHistory.Pair] = [:]
        for (key, account) in accounts where account.status == nil || account.status == AccountStatus.active.rawValue {
            let username = Self.username(account.dn)
            for (pupil, linkedBy) in account.links {
                switch subject {
                case .pupil(let wanted) where wanted != pupil: continue
                case .parent(let wanted) where wanted.lowercased() != username.lowercased(): continue
                default: break
                }
                pairs[key + "|" + pupil] = AccessHistory.Pair(
                    dn: account.dn, username: username, pupil: pupil, from: nil, until: nil, linkedBy: linkedBy, endedBy: nil,
                    statusAssumed: account.status == nil)
            }
        }
        return pairs
    }

    /// The `uid` of `uid=NAME,ou=…`, else the whole DN.
    static func username(_ dn: String) -> String {
        guard let name = try? DistinguishedName(parsing: dn), let first = name.rdns.first?.first, first.type.lowercased() == "uid" else { return dn }
        return first.value
    }
}
