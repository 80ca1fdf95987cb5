import Foundation
@testable import Roster
import Testing

/// A large CSV is read in two parts on two threads (`CSVReader.readInTwoParts`). Wherever the split
/// point falls (a record start, inside a quoted field holding line breaks, in a blank line, before a
/// duplicate or conflicting row of a record from the first part), the roster, its warnings and errors
/// must be those of reading on one thread.
@Suite struct CSVTwoPartReadTests {
    /// Rows that exercise everything the builder decides across rows: duplicates, conflicts, siblings
    /// sharing a contact, quoted line breaks, warnings, Windows-1252 bytes and broken rows.
    private func fixture() -> CSVFixture {
        var csv = CSVFixture()
        for pupil in 1...12 {
            csv = csv.link(pupil: "P\(pupil)", contact: "C\(pupil)", [
                "address_line1": "\(pupil) High Street\r\nFlat \(pupil)", "email": "parent\(pupil)@example.com",
                "relationship": pupil % 5 == 0 ? "Neighbour's cat" : "Mother", "postcode": "LS1 \(pupil)AB",
            ])
            // The pupil's second contact, and a sibling sharing the first pupil's contact.
            csv = csv.link(pupil: "P\(pupil)", contact: "D\(pupil)", ["given_name": "Second", "relationship": "Father"])
            if pupil % 4 == 0 { csv = csv.link(pupil: "P\(pupil)", contact: "C1") }
            // The same link again (merged, with a warning), and a copy of a contact with another e-mail.
            if pupil % 3 == 0 { csv = csv.link(pupil: "P\(pupil - 2)", contact: "C\(pupil - 2)", ["priority": "2"]) }
            if pupil % 6 == 0 { csv = csv.link(pupil: "P\(pupil)", contact: "D\(pupil)", ["email": "other@example.com"]) }
            if pupil == 9 { csv = csv.link(pupil: "P9", contact: "E9", ["date_of_birth": "not a date", "looked_after": "maybe"]) }
        }
        return csv
    }

    private func read(_ url: URL, splitAt: Int?, errorLimit: Int) -> Result<Roster, RosterErrors> {
        var reader = CSVReader(options: ReaderOptions(errorLimit: errorLimit))
        if let splitAt {
            reader.splitMinimumBytes = 0
            reader.splitAt = splitAt
        } else {
            reader.splitMinimumBytes = .max
        }
        return Result { () throws(RosterErrors) in try reader.read([SourceFile(path: url.path, displayName: "contacts.csv")]) }
    }

    private func read(_ bytes: [UInt8], splitAt: Int?, errorLimit: Int = 100) throws -> Result<Roster, RosterErrors> {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("two-part-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return read(url, splitAt: splitAt, errorLimit: errorLimit)
    }

    /// `url` read in two parts split at `split`, as `CSVReader.read` reads one file, the other part
    /// sent to this thread every `recordsPerPiece` records.
    private func readInTwoParts(_ url: URL, split: Int, errorLimit: Int, recordsPerPiece: Int = 4096)
        -> (Result<Roster, RosterErrors>, CSVReader.TwoPartReading)
    {
        var reader = CSVReader(options: ReaderOptions(errorLimit: errorLimit))
        reader.splitMinimumBytes = 0
        reader.splitAt = split
        reader.recordsPerPiece = recordsPerPiece
        var builder = RosterBuilder(errorLimit: errorLimit)
        let reading = reader.readInTwoParts(SourceFile(path: url.path, displayName: "contacts.csv"), into: &builder)
        return (Result { () throws(RosterErrors) in try builder.finish(source: SourceLocation(file: "contacts.csv")) }, reading)
    }

    /// Split points against the one-thread reading of `bytes`: every line start (where the other part
    /// is used when the line start is a record start) and every fifth byte besides, the other part sent
    /// in pieces of 1, 2, 3 or 4096 records in turn (one piece, or a piece boundary at every record).
    /// Returns how many readings replayed the other part.
    @discardableResult
    private func expectEverySplitReadsAsOneThread(_ bytes: [UInt8], errorLimit: Int = 100) throws -> Int {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("two-part-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let oneThread = read(url, splitAt: nil, errorLimit: errorLimit)
        var replayed = 0
        for split in 1..<bytes.count where bytes[split - 1] == 0x0A || bytes[split - 1] == 0x0D || split % 5 == 0 {
            let (twoParts, reading) = readInTwoParts(
                url, split: split, errorLimit: errorLimit, recordsPerPiece: [1, 2, 3, 4096][split % 4])
            #expect(reading != .notSplit)
            if reading == .replayed { replayed += 1 }
            #expect(twoParts == oneThread, "split at byte \(split)")
            if twoParts != oneThread { break }
        }
        return replayed
    }

    @Test func everySplitPointGivesTheOneThreadRoster() throws {
        let bytes = fixture().bytes()
        guard case .success(let roster) = try read(bytes, splitAt: nil) else {
            Issue.record("the fixture should read")
            return
        }
        // The fixture does hold what the test is about.
        #expect(roster.warnings(.duplicateLink).count >= 3)
        #expect(roster.warnings(.conflictingContact).count >= 1)
        #expect(roster.warnings(.unknownRelationship).count >= 2)
        #expect(roster.contacts.contains { $0.address?.lines.first?.contains(",") == true })
        // Most record starts are split points whose other part is used; the rest are read alone.
        let records = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }.count
        let replayed = try expectEverySplitReadsAsOneThread(bytes)
        #expect(replayed > records / 2)
    }

    @Test func lfLineEndsAndAByteOrderMark() throws {
        #expect(try expectEverySplitReadsAsOneThread(fixture().bytes(lineEnd: "\n", bom: true)) > 0)
    }

    @Test func windows1252BytesInEitherPartGiveOneWarningAtTheFirst() throws {
        var csv = fixture()
        csv = csv.link(pupil: "P20", contact: "C20", ["family_name": "Jalapeño"])
        let bytes = csv.windows1252Bytes()
        guard case .success(let roster) = try read(bytes, splitAt: nil) else {
            Issue.record("the fixture should read")
            return
        }
        #expect(roster.warnings(.legacyEncoding).count == 1)
        #expect(try expectEverySplitReadsAsOneThread(bytes) > 0)
    }

    @Test func brokenRowsAndTheErrorLimitStopWhereOneThreadStops() throws {
        var text = String(decoding: fixture().bytes(), as: UTF8.self)
        // A row with a value past the last column, a quote in an unquoted field, a blank pupil id.
        text += String(repeating: ",", count: 30) + "x\r\n"
        text += "5301234,P1,bad\"quote\r\n"
        text += "5301234,,,,,,,C99,,,Family\r\n"
        text = text.replacingOccurrences(of: "P7,", with: "P7,\"unclosed,", options: [], range: nil)
        let bytes = Array(text.utf8)
        for limit in [1, 2, 100] {
            let oneThread = try read(bytes, splitAt: nil, errorLimit: limit)
            #expect(!oneThread.errors().isEmpty)
            try expectEverySplitReadsAsOneThread(bytes, errorLimit: limit)
        }
    }

    @Test func contactsWithoutIdsAreReadOnOneThreadWhereverTheSplitIs() throws {
        // Two rows of a contact without an id in the middle: split after them, the other part is used.
        var csv = fixture()
        let withoutIds = CSVFixture()
            .link(pupil: "P30", contact: nil, ["given_name": "No", "family_name": "Id"])
            .link(pupil: "P30", contact: nil, ["given_name": "No", "family_name": "Id"])
        csv.rows.insert(contentsOf: withoutIds.rows, at: csv.rows.count / 2)
        #expect(try expectEverySplitReadsAsOneThread(csv.bytes()) > 0)
        #expect(try expectEverySplitReadsAsOneThread(fixture().without("contact_id").bytes()) == 0)
    }

    /// The other part replayed up to a row that needs the builder, then read on from that row by this
    /// thread: with Windows-1252 bytes in that row or before it, broken rows and the error limit.
    @Test func readingOnFromARowWithoutAContactIdKeepsWarningsAndErrors() throws {
        for legacyRow in [0, 1] {
            var csv = fixture()
            var withoutIds = CSVFixture()
                .link(pupil: "P30", contact: nil, ["given_name": "No", "family_name": legacyRow == 0 ? "Jalapeño" : "Id"])
                .link(pupil: "P30", contact: nil, ["given_name": "No", "family_name": "Id"])
                .link(pupil: "P31", contact: nil, ["given_name": "Other", "family_name": "Id"])
            if legacyRow == 1 { withoutIds = withoutIds.link(pupil: "P32", contact: "C32", ["family_name": "Núñez"]) }
            csv.rows.insert(contentsOf: withoutIds.rows, at: csv.rows.count * 2 / 3)
            // Broken rows after them: the error limit is reached in the part read on.
            let bytes = csv.windows1252Bytes() + Array("5301234,P1,bad\"quote\r\n5301234,,,,,,,C99,,,Family\r\n".utf8)
            for limit in [1, 3, 100] {
                #expect(try expectEverySplitReadsAsOneThread(bytes, errorLimit: limit) > 0)
            }
        }
    }

    /// A file over the two-part size, split where the reader chooses (with the rows reserved from the
    /// line length there), reads as on one thread, and the other part is used.
    @Test func aLargeFileSplitWhereTheReaderChoosesReadsAsOneThread() throws {
        var text = CSVFixture.canonicalColumns.joined(separator: ",") + "\r\n"
        for index in 0..<60_000 {
            let pupil = index / 2
            // Siblings share a contact every tenth pupil; every seventh address spans two lines.
            let contact = index % 2 == 0 && pupil % 10 == 1 ? (pupil - 1) * 2 : index
            let line1 = index % 7 == 0 ? "\"\(contact % 300) High Street\r\nBack Lane\"" : "\"\(contact % 300) High Street\""
            text += "5301234,P\(pupil),,Pupil\(pupil),Family\(pupil % 500),\(pupil % 7 + 1),\(pupil % 7 + 1)B,C\(contact),"
                + "Mrs,Parent\(contact),Family\(contact / 2 % 500),\(index % 3 == 0 ? "Mother" : "Father"),\(index % 2 + 1),"
                + "Y,N,Y,parent\(contact)@example.com,07700 \(900_000 + contact % 100_000),,,\(line1),Flat \(contact % 9),,"
                + "Leeds,,LS\(contact % 28) \(contact % 9)AB,2015-04-01,N,,\r\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("two-part-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let oneThread = read(url, splitAt: nil, errorLimit: 100)
        var reader = CSVReader()
        #expect(text.utf8.count >= reader.splitMinimumBytes)
        reader.splitMinimumBytes = 0
        var builder = RosterBuilder()
        let reading = reader.readInTwoParts(SourceFile(path: url.path, displayName: "contacts.csv"), into: &builder)
        #expect(reading == .replayed)
        let twoParts = Result { () throws(RosterErrors) in try builder.finish(source: SourceLocation(file: "contacts.csv")) }
        #expect(twoParts == oneThread)
        #expect((try? oneThread.get().links.count) == 60_000)
    }

    /// The other thread counts the lines before its part with `memchr` (`CSVReader.lineEnds`): on
    /// random CR, LF and other bytes, cut into random chunks, it counts what the tokenizer's rule counts
    /// byte by byte (every CR, every LF not right after a CR).
    @Test func lineEndsCountedWithMemchrAsByteByByte() {
        var state: UInt64 = 12_345
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            let bytes: [UInt8] = (0..<next(200)).map { _ in [0x0D, 0x0A, 0x61, 0x2C, 0x0D, 0x0A][next(6)] }
            var expected = 0
            var previousCR = false
            for byte in bytes {
                if byte == 0x0D || (byte == 0x0A && !previousCR) { expected += 1 }
                previousCR = byte == 0x0D
            }
            var counted = 0
            var afterCR = false
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + next(40))
                counted += bytes[start..<end].withUnsafeBufferPointer { CSVReader.lineEnds(in: $0, afterCR: &afterCR) }
                start = end
            }
            #expect(counted == expected, "\(bytes)")
        }
    }

    @Test func theChosenSplitPointIsALineStartWithBalancedQuotesAround() throws {
        let bytes = Array("h\n\"a\nb\",c\nd,e\nf,g\nh\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 10)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        // From byte 2 the line ends are at 4, 9, 13, 17 and 19: the line "b",c has one quote.
        let split = CSVReader.splitPoint(url.path, size: bytes.count, share: 2.5 / Double(bytes.count))
        #expect(split?.split == 14)
        #expect(split?.lineLength == 3.75)
    }
}
