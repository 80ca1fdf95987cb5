import Foundation
import Reconcile
import Roster

/// Reads the dedupe overrides file (`dedupe.overrides`, DESIGN.md Part B): a UTF-8 CSV with the header
/// `action, record, other_record, set_by, set_on, note`, one merge or split per row.
public enum DedupeOverridesFile {
    /// The columns, in the order DESIGN.md gives them; only the first three are required.
    static let columns = ["action", "record", "other_record", "set_by", "set_on", "note"]

    /// Parses the file's bytes; `name` is how messages name the file. Every bad row is reported at once.
    /// The overrides in the file at `path` (config `dedupe.overrides`); none when no file is configured.
    public static func load(_ path: String?) throws(DedupeOverridesError) -> [DedupeOverride] {
        guard let path else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DedupeOverridesError(problems: [.init(file: path, line: nil,
                message: "cannot read the dedupe overrides file (dedupe.overrides)")])
        }
        return try parse([UInt8](data), name: path)
    }

    public static func parse(_ bytes: [UInt8], name: String) throws(DedupeOverridesError) -> [DedupeOverride] {
        var tokenizer = CSVTokenizer(MemoryByteStream(bytes))
        var record = CSVRecord()
        var decoder = FieldDecoder()
        var problems: [DedupeOverridesError.Problem] = []
        var header: [String: Int] = [:]
        var overrides: [DedupeOverride] = []
        do {
            guard try tokenizer.next(into: &record) else { return [] }
            for index in 0..<record.count {
                let title = record.field(index, file: name, decoder: &decoder).lowercased()
                    .filter { !$0.isWhitespace }.replacingAll("-", "_")
                header[title] = index
            }
            let missing = columns.prefix(3).filter { header[$0] == nil }
            guard missing.isEmpty else {
                throw DedupeOverridesError(problems: [.init(
                    file: name, line: 1,
                    message: "missing column \(missing.joined(separator: ", ")); the header needs "
                        + columns.joined(separator: ", "))])
            }
            while try tokenizer.next(into: &record) {
                if record.isBlank { continue }
                func value(_ column: String) -> String {
                    guard let index = header[column], index < record.count else { return "" }
                    return record.field(index, file: name, decoder: &decoder).trimmingCharacters()
                }
                let line = record.line
                guard let action = DedupeOverride.Action(rawValue: value("action").lowercased()) else {
                    problems.append(.init(file: name, line: line,
                        message: "action \"\(value("action"))\" is neither merge nor split"))
                    continue
                }
                let (first, second) = (value("record"), value("other_record"))
                var rowProblems: [String] = []
                for (column, reference) in [("record", first), ("other_record", second)] {
                    if let problem = referenceProblem(reference) { rowProblems.append("\(column) \(problem)") }
                }
                if rowProblems.isEmpty, first == second { rowProblems.append("record and other_record are the same") }
                guard rowProblems.isEmpty else {
                    problems += rowProblems.map { .init(file: name, line: line, message: $0) }
                    continue
                }
                overrides.append(DedupeOverride(
                    action: action, record: first, otherRecord: second, setBy: value("set_by"),
                    setOn: value("set_on"), note: value("note"), origin: "\(name):\(line)"))
            }
        } catch let error as DedupeOverridesError {
            throw error
        } catch {
            problems.append(.init(file: name, line: nil, message: "not a readable CSV file (\(error))"))
        }
        guard problems.isEmpty else { throw DedupeOverridesError(problems: problems) }
        return overrides
    }

    /// Why a reference cannot be used, or nil. A reference by position (`<school>/<pupil>/<n>`) is
    /// refused, as DESIGN.md Part B says of every policy file: it shifts when the MIS reorders contacts.
    static func referenceProblem(_ reference: String) -> String? {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        if reference.isEmpty { return "is blank" }
        if parts.count == 3 {
            return "\(reference) is a reference by position, which shifts when the MIS reorders contacts; "
                + "use <school_id>/<contact_id>"
        }
        if parts.count != 2 || parts.contains(where: \.isEmpty) {
            return "\(reference) is not a record reference (<school_id>/<contact_id>)"
        }
        return nil
    }
}

/// Everything wrong with a dedupe overrides file; the run stops before any write (exit 2).
public struct DedupeOverridesError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public struct Problem: Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var message: String

        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): error: \(message)" }
    }

    public var problems: [Problem]

    public var exitStatus: ExitStatus { .inputError }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension String {
    /// Leading and trailing white space removed, without Foundation.
    func trimmingCharacters() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func replacingAll(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
