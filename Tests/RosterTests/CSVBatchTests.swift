import Foundation
@testable import Roster
import Testing

/// `CSVReader` reads large files in batches of records on worker threads. Whatever the batch size,
/// the roster, the warnings and the errors must be those of reading the rows one after another —
/// which is what one batch holding the whole file does, on the calling thread.
@Suite struct CSVBatchTests {
    /// Reads `bytes` with batches of `recordsPerBatch` records.
    func read(_ bytes: [UInt8], with reader: CSVReader, recordsPerBatch: Int) -> Result<Roster, RosterErrors> {
        Result { () throws(RosterErrors) in
            var builder = RosterBuilder(errorLimit: reader.options.errorLimit)
            reader.read(MemoryByteStream(bytes, chunkSize: 13), name: "contacts.csv", into: &builder,
                        recordsPerBatch: recordsPerBatch)
            return try builder.finish(source: SourceLocation(file: "contacts.csv"))
        }
    }

    /// One-row-per-link rows with repeated pupils, shared contacts, a conflicting copy of a pupil, an
    /// unknown relationship, an unreadable date, blank lines and Windows-1252 bytes.
    func messyExport() -> [UInt8] {
        var csv = CSVFixture()
        for pupil in 0..<40 {
            for contact in 0..<2 {
                var values = ["relationship": contact == 0 ? "Mother" : "Father", "priority": String(contact + 1)]
                if pupil % 7 == 3 { values["relationship"] = "Neighbour" }
                if pupil % 11 == 5, contact == 1 { values["date_of_birth"] = "31/02/2015" }
                if pupil % 13 == 6, contact == 1 { values["year_group"] = "9" }
                if pupil % 9 == 2 { values["town"] = "Bishop's Stortford" }
                csv = csv.link(pupil: "P\(pupil)", contact: "C\(pupil % 10 == 1 ? pupil - 1 : pupil)x\(contact)", values)
            }
        }
        var text = csv.text(lineEnd: "\r\n")
        text = text.replacingOccurrences(of: "\r\n5301234,P18,", with: "\r\n\r\n,,,\r\n5301234,P18,")
        var bytes = Array(text.utf8)
        // A Windows-1252 "é" in a family name, deep in the file.
        if let at = bytes.indices.first(where: { bytes[$0...].starts(with: Array("Of-P33".utf8)) }) {
            bytes.replaceSubrange(at..<at + 2, with: [0xC9, 0x66])
        }
        return bytes
    }

    @Test func batchesOfAnySizeReadAsOneBatch() throws {
        let bytes = messyExport()
        let whole = read(bytes, with: CSVReader(), recordsPerBatch: 1_000_000)
        let roster = try #require(whole.roster())
        #expect(roster.pupils.count == 40)
        #expect(!roster.warnings.isEmpty)
        #expect(roster.warnings.contains { $0.code == .legacyEncoding })
        for size in [1, 2, 3, 7, 64] {
            #expect(read(bytes, with: CSVReader(), recordsPerBatch: size) == whole, "batches of \(size)")
        }
    }

    @Test func positionalReferencesAcrossBatchesAreTheBuildersOwn() throws {
        var csv = CSVFixture(header: ["CHILD_ID", "CHILD_FIRST_NAME", "CHILD_LAST_NAME", "PARENT_1_NAME", "PARENT_2_NAME"])
        for pupil in 0..<12 {
            // Each pupil twice: the second row's contacts are the first's, found by name.
            for _ in 0..<2 {
                csv = csv.row(["CHILD_ID": "P\(pupil % 5)", "CHILD_FIRST_NAME": "Kid", "CHILD_LAST_NAME": "K\(pupil % 5)",
                               "PARENT_1_NAME": "Mrs Ann K\(pupil)", "PARENT_2_NAME": pupil % 3 == 0 ? "" : "Bob K\(pupil)"])
            }
        }
        let reader = CSVReader(preset: .flat, options: ReaderOptions(schoolID: "120026"))
        let whole = read(csv.bytes(), with: reader, recordsPerBatch: 1_000_000)
        let roster = try #require(whole.roster())
        #expect(roster.contacts.contains { $0.reference.description == "120026/P1/4" })
        for size in [1, 3, 5] {
            #expect(read(csv.bytes(), with: reader, recordsPerBatch: size) == whole, "batches of \(size)")
        }
    }

    @Test func readingStopsAtTheSameRowWhenErrorsPassTheLimit() throws {
        var csv = CSVFixture()
        for pupil in 0..<30 {
            csv = csv.link(pupil: pupil % 4 == 0 ? "" : "P\(pupil)", contact: "C\(pupil)", ["relationship": "Aunty"])
        }
        var text = csv.text()
        text += "5301234,P99,\"unclosed,\r\n"
        let reader = CSVReader(options: ReaderOptions(errorLimit: 3))
        let whole = read(Array(text.utf8), with: reader, recordsPerBatch: 1_000_000)
        let errors = whole.errors()
        #expect(errors.count == 3)
        guard case .failure(let all) = whole else { return }
        #expect(all.truncated)
        for size in [1, 2, 5] {
            #expect(read(Array(text.utf8), with: reader, recordsPerBatch: size) == whole, "batches of \(size)")
        }
    }

    @Test func syntaxErrorsAndShortRowsKeepTheirPlaceAmongRows() throws {
        var text = CSVFixture().link(pupil: "P1", contact: "C1").text()
        text += "5301234,P2,bad\"quote\r\n"
        text += CSVFixture().link(pupil: "P3", contact: "C3").rows.map { $0.joined(separator: ",") }.joined() + "\r\n"
        text += "5301234,P4\r\n"
        text += "5301234,P5,\"never closed\r\n"
        let whole = read(Array(text.utf8), with: CSVReader(), recordsPerBatch: 1_000_000)
        let lines = whole.errors().map(\.location.line)
        #expect(lines == [3, 5, 6])
        #expect(read(Array(text.utf8), with: CSVReader(), recordsPerBatch: 1) == whole)
    }
}
