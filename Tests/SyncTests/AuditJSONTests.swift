import Foundation
import Testing

@testable import Sync
import TestRandom

/// The audit log's hand-written JSON gives exactly `JSONEncoder`'s bytes (sorted keys, unescaped slashes).
@Suite struct AuditJSONTests {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func expectSameBytes(_ record: AuditRecord, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try encoder().encode(record)
        let written = record.jsonBytes()
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self), sourceLocation: sourceLocation)
        #expect(Array(expected) == written, sourceLocation: sourceLocation)
    }

    @Test func everyASCIICharacterAndSomeBeyondAreEscapedAsTheEncoderEscapesThem() throws {
        var text = String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) }))
        text += "é ß ✂ – “quoted” \u{2028}\u{2029}\u{FEFF}\u{0301}<\u{0301} 😀 👩‍👩‍👧 \\/ \\u0000"
        try Self.expectSameBytes(AuditRecord(
            time: text, run: text, event: text, action: text, dn: text, pupil: text, reasons: [text, "", text],
            result: text, message: text, changes: [text: [text], "": []], operation: text, before: [text: [], "x": [text]]))
        for scalar in (0..<0x80).map({ Unicode.Scalar(UInt8($0)) }) {
            try Self.expectSameBytes(AuditRecord(time: "t", run: "r", event: "e", message: "a\(scalar)b"))
        }
    }

    @Test func absentFieldsAreLeftOutAndEmptyOnesKept() throws {
        try Self.expectSameBytes(AuditRecord(time: "2026-11-29T13:00:00Z", run: "r1", event: "run-start"))
        try Self.expectSameBytes(AuditRecord(
            time: "t", run: "r", event: "write", action: "", dn: "", pupil: "", reasons: [], result: "", message: "", changes: [:],
            operation: "", before: [:]))
    }

    @Test func keysOfChangesAndBeforeAreSortedAsTheEncoderSortsThem() throws {
        let keys = [
            "replace:mail", "add:misChildRef", "delete:misChildRef", "replace:pwdAccountLockedTime", "add:uid", "add:givenName",
            "add:sn", "add:cn", "add:objectClass", "add:misContactRef", "add:misAccountStatus", "Zed", "zed", "Äpfel", "apfel",
            "a10", "a9", "a1", "A1", "_x", "-x", "x-", "mail", "Mail", "MAIL", "é", "e", "f", "😀", "uid", "UID", "ūid", "a:b", "a;b",
        ]
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var changes: [String: [String]] = [:]
            var before: [String: [String]] = [:]
            for key in keys.shuffled(using: &generator).prefix(Int.random(in: 0...keys.count, using: &generator)) {
                changes[key] = (0..<Int.random(in: 0...3, using: &generator)).map { "v\($0)/\(key)\"\\" }
                if Bool.random(using: &generator) { before[key] = [key] }
            }
            try Self.expectSameBytes(AuditRecord(
                time: "2026-11-29T13:00:01Z", run: "20261129T130000Z-42", event: "write", action: "create",
                dn: "uid=ann.o10,ou=Parents,dc=example,dc=org", pupil: "S1/P1", reasons: ["court-order", "new"], result: "ok",
                changes: changes, operation: "add", before: before))
        }
    }

    @Test func theAuditLogWritesTheSameLinesItReadsBack() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let log = try AuditLog(stateDirectory: folder.path)
        let record = AuditRecord(
            time: "t", run: "r", event: "write", action: "update", dn: "uid=a/b,ou=P", message: "line\nbreak \"q\"",
            changes: ["replace:mail": ["a@b.org"]], operation: "modify", before: ["mail": []])
        try log.append(record)
        #expect(try AuditLog.read(stateDirectory: folder.path) == [record])
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text == String(decoding: try Self.encoder().encode(record), as: UTF8.self) + "\n")
    }
}

/// The audit log's time, written by hand, is the text of `formatted(.iso8601)`.
@Suite struct TimestampTests {
    @Test func theHandWrittenTimeIsTheFormatStylesText() {
        var generator = SeededGenerator(seed: 5)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 1_795_000_000.999),
                     Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_102_444_799.9)]
        for _ in 0..<2000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...6_000_000_000, using: &generator))) }
        for date in dates {
            #expect(Timestamp.iso8601(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)")
        }
    }
}
