import Foundation
import Reconcile
import Roster

/// Writes to the restrictions file for `revoke` and `restore`. Every write makes a whole new file and
/// renames it over the old one, so a run reading it at the same moment, or a power cut, sees either the
/// old file or the new one, never half a row.
public enum RestrictionsFile {
    /// Appends one restriction, creating the file (with its header) when it does not exist. The existing
    /// bytes are kept as they are, comments of the school's own columns included.
    public static func append(_ values: [String: String], to path: String) throws {
        let columns = PolicyFile.Kind.restrictions.columns
        var text: String
        if let data = FileManager.default.contents(atPath: path) {
            text = String(decoding: data, as: UTF8.self)
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\r\n" }
            // The row follows the file's own header, whatever order the school put the columns in.
            let header = text.prefix { !$0.isNewline }.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_") }
            if text.isEmpty {
                text = columns.joined(separator: ",") + "\r\n"
                text += row(values, columns: columns)
            } else {
                guard columns.allSatisfy(header.contains) else {
                    throw PolicyFileError(file: path, line: 1, column: nil,
                        message: "the header lacks \(columns.filter { !header.contains($0) }.joined(separator: ", ")); "
                            + "revoke needs every column (\(columns.joined(separator: ", ")))")
                }
                text += row(values, columns: header)
            }
        } else {
            text = columns.joined(separator: ",") + "\r\n" + row(values, columns: columns)
        }
        try replace(path, with: text)
    }

    /// Sets `ends_on` to `date` on the rows at `lines` (the restrictions `restore` lifts), keeping
    /// every other row as it was.
    public static func lift(lines: Set<Int>, on date: CalendarDate, in path: String) throws {
        let rows = try PolicyFile.load(.restrictions, path: path)
        let columns = PolicyFile.Kind.restrictions.columns
        var text = columns.joined(separator: ",") + "\r\n"
        for row in rows {
            var values = row.values
            if lines.contains(row.line) { values["ends_on"] = date.description }
            text += self.row(values, columns: columns)
        }
        try replace(path, with: text)
    }

    static func row(_ values: [String: String], columns: [String]) -> String {
        columns.map { quoted(values[$0] ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 quoting, nothing else: the file is read back by ldap-sync and by people.
    static func quoted(_ value: String) -> String {
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Replaces the file at `path` with `text` in one step; only its owner may read it (it names children
    /// and the people kept from them).
    static func replace(_ path: String, with text: String) throws {
        try AtomicFile.replace(path, with: text.utf8, permissions: 0o600)
    }
}
