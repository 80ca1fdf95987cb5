import Foundation
import Roster
import Testing

/// The one fixture builder: a CSV made of named columns and rows of values, written the way exports
/// write them (quoting where needed, CRLF or LF, optionally a BOM or Windows-1252 bytes).
struct CSVFixture {
    var header: [String]
    var rows: [[String]] = []

    /// The canonical columns of DESIGN.md Part B.
    static let canonicalColumns = [
        "school_id", "pupil_id", "upn", "pupil_given_name", "pupil_family_name", "year_group", "reg_group",
        "contact_id", "title", "given_name", "family_name", "relationship", "priority", "parental_responsibility",
        "court_order", "lives_with_pupil", "email", "mobile", "home_phone", "work_phone", "address_line1",
        "address_line2", "address_line3", "town", "county", "postcode", "date_of_birth", "looked_after",
        "access_withdrawn", "leaving_date",
    ]

    init(header: [String] = CSVFixture.canonicalColumns) {
        self.header = header
    }

    /// A row given by column name; columns not named are blank, names not in the header are a mistake
    /// in the test.
    func row(_ values: [String: String]) -> CSVFixture {
        for name in values.keys { precondition(header.contains(name), "fixture has no column \(name)") }
        var copy = self
        copy.rows.append(header.map { values[$0] ?? "" })
        return copy
    }

    /// A canonical link row: pupil `pupil` of school 5301234 and a contact, with sensible defaults.
    func link(pupil: String, contact: String?, _ values: [String: String] = [:]) -> CSVFixture {
        var all: [String: String] = [
            "school_id": "5301234", "pupil_id": pupil, "pupil_given_name": "Pupil", "pupil_family_name": "Of-\(pupil)",
            "given_name": "Parent", "family_name": "Of-\(pupil)", "relationship": "Mother", "priority": "1",
            "parental_responsibility": "Y",
        ]
        if let contact { all["contact_id"] = contact }
        all.merge(values) { $1 }
        return row(all.filter { header.contains($0.key) })
    }

    /// The header without `columns`, rows cut to match.
    func without(_ columns: String...) -> CSVFixture {
        let keep = header.indices.filter { !columns.contains(header[$0]) }
        var copy = self
        copy.header = keep.map { header[$0] }
        copy.rows = rows.map { row in keep.map { row[$0] } }
        return copy
    }

    func text(lineEnd: String = "\r\n") -> String {
        ([header] + rows).map { $0.map(Self.quoted).joined(separator: ",") }.joined(separator: lineEnd) + lineEnd
    }

    func bytes(lineEnd: String = "\r\n", bom: Bool = false) -> [UInt8] {
        (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text(lineEnd: lineEnd).utf8)
    }

    /// The bytes Excel writes when saving as "CSV" on a Windows machine set to English.
    func windows1252Bytes() -> [UInt8] {
        text().unicodeScalars.map { scalar in
            precondition(scalar.value < 0x100, "fixture character not in Latin-1")
            return UInt8(scalar.value)
        }
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Reads `bytes` with `reader`, returning the roster or the errors thrown.
func read(_ bytes: [UInt8], with reader: CSVReader = CSVReader(), name: String = "contacts.csv") -> Result<Roster, RosterErrors> {
    Result { () throws(RosterErrors) in try reader.read(MemoryByteStream(bytes, chunkSize: 7), name: name) }
}

extension Result where Success == Roster, Failure == RosterErrors {
    /// The roster, recording a test issue when reading failed.
    func roster(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Roster? {
        switch self {
        case .success(let roster): return roster
        case .failure(let errors):
            Issue.record("read failed: \(errors)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The errors, recording a test issue when reading succeeded.
    func errors(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [RosterError] {
        switch self {
        case .success: Issue.record("read succeeded but errors were expected", sourceLocation: sourceLocation); return []
        case .failure(let errors): return errors.errors
        }
    }
}

/// The shared samples folder (`../shared/samples/` beside the repository), or `nil` when absent.
func samplesFolder() -> URL? {
    var folder = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { folder.deleteLastPathComponent() }
    let samples = folder.deletingLastPathComponent().appendingPathComponent("shared/samples")
    return FileManager.default.fileExists(atPath: samples.path) ? samples : nil
}

extension Roster {
    func pupil(_ id: String) -> Pupil? { pupils.first { $0.reference.pupilID == id } }
    func contact(_ reference: String) -> Contact? { contacts.first { $0.reference.description == reference } }
    func link(_ pupil: String, _ contact: String) -> ContactLink? {
        links.first { $0.pupil.pupilID == pupil && $0.contact.description == contact }
    }
    func warnings(_ code: RosterWarning.Code) -> [RosterWarning] { warnings.filter { $0.code == code } }
}

/// A folder of CSV files (a OneRoster or SDS export) in a fresh temporary directory, removed by `remove()`.
struct ExportFolder {
    let url: URL

    init(_ files: [String: CSVFixture]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, table) in files {
            try Data(table.bytes()).write(to: url.appendingPathComponent(name))
        }
    }

    var path: String { url.path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
