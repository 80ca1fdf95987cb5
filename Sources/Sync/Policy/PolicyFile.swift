import Foundation
import Reconcile
import Roster

/// The school's policy files (DESIGN.md Part B, "Policy files"): UTF-8 CSV with a header, one link per
/// row, the person named by `parent` (username) or `contact` (`<school_id>/<contact_id>`). A bad file
/// stops the run before anything is written (exit 2), naming the file, line and column.
public enum PolicyFile {
    /// The three kinds of file and their columns.
    public enum Kind: String, Sendable, CaseIterable {
        case restrictions
        case courtOrderOverrides
        case lookedAfterApprovals

        /// The columns in DESIGN.md's order.
        public var columns: [String] {
            switch self {
            case .restrictions: ["pupil", "parent", "contact", "reason", "set_by", "set_on", "ends_on"]
            case .courtOrderOverrides: ["pupil", "parent", "contact", "order_reference", "reviewed_by", "reviewed_on", "ends_on"]
            case .lookedAfterApprovals: ["pupil", "parent", "contact", "approved_by", "approved_on"]
            }
        }

        /// Columns a row must fill (besides `pupil` and one of `parent`/`contact`): who decided and when.
        var required: [String] {
            switch self {
            case .restrictions: ["set_by"]
            case .courtOrderOverrides: ["order_reference", "reviewed_by", "reviewed_on"]
            case .lookedAfterApprovals: ["approved_by", "approved_on"]
            }
        }

        /// The config key, for messages.
        public var configKey: String {
            switch self {
            case .restrictions: "policy.restrictions"
            case .courtOrderOverrides: "policy.court_order_overrides"
            case .lookedAfterApprovals: "policy.looked_after_approvals"
            }
        }
    }

    /// One row as read: its values by column name, and the rule it makes.
    public struct Row: Sendable, Hashable {
        public var values: [String: String]
        public var rule: LinkRule
        public var line: Int
    }

    /// The rows of the file at `path`; none when `path` is nil, or when the file does not exist and
    /// `missingIsEmpty` (the default restrictions file in `state_dir`, before the first `revoke`).
    public static func load(_ kind: Kind, path: String?, missingIsEmpty: Bool = false) throws(PolicyFileError) -> [Row] {
        guard let path else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            if missingIsEmpty, !FileManager.default.fileExists(atPath: path) { return [] }
            throw PolicyFileError(file: path, line: nil, column: nil, message: "cannot read the file (\(kind.configKey))")
        }
        return try parse(kind, [UInt8](data), name: path)
    }

    /// The rows of a file's bytes; `name` is how messages name it. Stops at the first problem.
    public static func parse(_ kind: Kind, _ bytes: [UInt8], name: String) throws(PolicyFileError) -> [Row] {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw PolicyFileError(file: name, line: nil, column: nil, message: "not UTF-8 text; save it as UTF-8 CSV")
        }
        var tokenizer = CSVTokenizer(MemoryByteStream(bytes))
        var record = CSVRecord()
        var decoder = FieldDecoder()
        var rows: [Row] = []
        do {
            guard try tokenizer.next(into: &record) else { return [] }
            var header: [String: Int] = [:]
            for index in 0..<record.count {
                let title = record.field(index, file: name, decoder: &decoder).lowercased()
                    .filter { !$0.isWhitespace && $0 != "\u{FEFF}" }.map { $0 == "-" ? "_" : $0 }
                let column = String(title)
                guard kind.columns.contains(column) else {
                    throw PolicyFileError(file: name, line: record.line, column: index + 1,
                        message: "unknown column \"\(column)\"; the header is \(kind.columns.joined(separator: ", "))")
                }
                header[column] = index
            }
            let missing = kind.columns.filter { header[$0] == nil && ($0 == "pupil" || kind.required.contains($0)) }
            guard missing.isEmpty, header["parent"] != nil || header["contact"] != nil else {
                throw PolicyFileError(file: name, line: record.line, column: nil,
                    message: "missing column \((missing + (header["parent"] == nil && header["contact"] == nil ? ["parent or contact"] : [])).joined(separator: ", ")); "
                        + "the header is \(kind.columns.joined(separator: ", "))")
            }
            while try tokenizer.next(into: &record) {
                if record.isBlank { continue }
                var values: [String: String] = [:]
                for (column, index) in header where index < record.count {
                    values[column] = record.field(index, file: name, decoder: &decoder).trimmingCharacters()
                }
                rows.append(try row(kind, values, header: header, line: record.line, name: name))
            }
        } catch let error as PolicyFileError {
            throw error
        } catch let error as CSVSyntaxError {
            throw PolicyFileError(file: name, line: error.line, column: error.column, message: "not a readable CSV file (\(error.reason))")
        } catch {
            throw PolicyFileError(file: name, line: nil, column: nil, message: "not a readable CSV file (\(error))")
        }
        return rows
    }

    static func row(
        _ kind: Kind, _ values: [String: String], header: [String: Int], line: Int, name: String
    ) throws(PolicyFileError) -> Row {
        func fail(_ column: String?, _ message: String) -> PolicyFileError {
            PolicyFileError(file: name, line: line, column: column.flatMap { header[$0] }.map { $0 + 1 }, message: message)
        }
        let pupilText = values["pupil"] ?? ""
        let pupil: PupilReference?
        if pupilText == "*" {
            guard kind == .restrictions else { throw fail("pupil", "pupil * (every pupil) is allowed only in restrictions") }
            pupil = nil
        } else {
            let parts = pupilText.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail("pupil", "pupil \"\(pupilText)\" is not <school_id>/<pupil_id>"
                    + (kind == .restrictions ? " or *" : ""))
            }
            pupil = PupilReference(schoolID: String(parts[0]), pupilID: String(parts[1]))
        }
        let parent = values["parent"] ?? ""
        let contact = values["contact"] ?? ""
        let person: LinkRule.Person
        switch (parent.isEmpty, contact.isEmpty) {
        case (true, true): throw fail(header["parent"] != nil ? "parent" : "contact", "name the person by parent (username) or contact")
        case (false, false): throw fail("contact", "give parent or contact, not both")
        case (false, true): person = .username(parent)
        case (true, false):
            let parts = contact.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3 {
                throw fail("contact", "contact \(contact) is a reference by position, which shifts when the MIS "
                    + "reorders contacts; use <school_id>/<contact_id> or the parent's username")
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail("contact", "contact \"\(contact)\" is not <school_id>/<contact_id>")
            }
            person = .contact(.id(String(parts[1]), school: String(parts[0])))
        }
        for column in kind.required where (values[column] ?? "").isEmpty {
            throw fail(column, "\(column) is blank: the file records who decided and when")
        }
        var endsOn: CalendarDate?
        for column in kind.columns where column.hasSuffix("_on") {
            guard let text = values[column], !text.isEmpty else { continue }
            guard let date = isoDate(text) else { throw fail(column, "\(column) \"\(text)\" is not a date (yyyy-mm-dd)") }
            if column == "ends_on" { endsOn = date }
        }
        return Row(values: values, rule: LinkRule(pupil: pupil, person: person, endsOn: endsOn, origin: "\(name):\(line)"), line: line)
    }

    /// `yyyy-mm-dd` only: a policy file is read by people in several countries, and 03/04 is ambiguous.
    static func isoDate(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}

/// A policy file that cannot be used: the run stops before any write (exit 2).
public struct PolicyFileError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public var exitStatus: ExitStatus { .inputError }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): error: \(message)"
    }
}
