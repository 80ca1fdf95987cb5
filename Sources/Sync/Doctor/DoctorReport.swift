/// What `doctor` found: one line per finding, each problem with its fix.
public struct DoctorReport: Sendable {
    /// How much a finding matters.
    public enum Level: String, Sendable {
        /// Checked and fine.
        case ok
        /// Worth knowing, nothing to fix.
        case note
        /// Works, but discloses more than it should (a parent reads what is not theirs).
        case warning
        /// Something a parent or the school will notice: a login refused or allowed wrongly.
        case problem
    }

    /// One finding.
    public struct Finding: Sendable, Equatable {
        public var level: Level
        public var what: String
        public var fix: String?
    }

    public var findings: [Finding] = []

    /// True when nothing needs fixing (notes are fine).
    public var allWell: Bool { !findings.contains { $0.level == .warning || $0.level == .problem } }

    /// The problems and warnings.
    public var problems: [Finding] { findings.filter { $0.level == .warning || $0.level == .problem } }

    /// One line per finding: `PROBLEM  what; fix: how`.
    public var text: String {
        findings.map { finding in
            let label = switch finding.level {
            case .ok: "ok      "
            case .note: "note    "
            case .warning: "WARNING "
            case .problem: "PROBLEM "
            }
            return label + " " + finding.what + (finding.fix.map { "; fix: \($0)" } ?? "")
        }.joined(separator: "\n") + "\n"
    }

    mutating func ok(_ what: String) { findings.append(Finding(level: .ok, what: what)) }
    mutating func note(_ what: String) { findings.append(Finding(level: .note, what: what)) }
    mutating func warn(_ what: String, fix: String) { findings.append(Finding(level: .warning, what: what, fix: fix)) }
    mutating func problem(_ what: String, fix: String) { findings.append(Finding(level: .problem, what: what, fix: fix)) }
}
