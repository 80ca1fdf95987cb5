import Foundation
import Testing

@testable import Sync
import TestRandom

/// The header gate's names from ASCII bytes must be the names by `Character`s, and the header line read
/// in steps the line read whole.
@Suite struct SourceColumnsFastPathTests {
    /// Quotes, spaces and tabs at either end and inside, underscores, capitals, and non-ASCII text.
    private static let pieces = [
        "\"", " ", "\t", "_", "Pupil", "ID", "family_NAME", "x", "É", "e\u{301}", "\u{A0}", "İ", "ß", "K\u{212A}", "1",
    ]

    @Test func namesFromASCIIBytesAreTheNamesByCharacters() {
        for seed in UInt64(0)..<3_000 {
            var random = SeededGenerator(seed: seed)
            var header = ""
            for _ in 0..<random.next(6) { header += Self.pieces[random.next(Self.pieces.count)] }
            let part = Substring(header)
            #expect(SourceColumns.normalised(part) == SourceColumns.normalisedByCharacters(part), "seed \(seed): \(header.debugDescription)")
            if SourceColumns.asciiNormalised(part) == nil { #expect(header.utf8.contains { $0 >= 0x80 }, "seed \(seed)") }
        }
    }

    @Test func aHeaderLongerThanAStepOrWithoutALineEndIsReadWhole() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let names = (0..<700).map { "Column_\($0)" }
        let cases: [(String, String, [String]?)] = [
            ("long.csv", names.joined(separator: ",") + "\r\nP1\r\n", names.map { $0.lowercased().replacingOccurrences(of: "_", with: "") }.sorted()),
            ("no-end.csv", "Pupil ID,\"Family Name\"", ["familyname", "pupilid"]),
            ("cr.csv", "B,A\rx,y\r", ["a", "b"]),
            ("not-utf8.csv", "Pupil\u{FF}", nil),
        ]
        for (name, text, expected) in cases {
            let bytes = name == "not-utf8.csv" ? Array("Pupil ".utf8) + [0xFF, 0x0A] : Array(text.utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: folder.file(name)))
            let source = SourceConfig(format: .csv, path: folder.file(name), pathAsWritten: name, location: ConfigLocation(file: "test.yaml"))
            #expect(SourceColumns.headers([source])[name] == expected, "\(name)")
        }
        // A header past the 64 KB read is cut there, as it was read in one go.
        let huge = (0..<20_000).map { "c\($0)" }.joined(separator: ",")
        try Data(huge.utf8).write(to: URL(fileURLWithPath: folder.file("huge.csv")))
        let source = SourceConfig(format: .csv, path: folder.file("huge.csv"), pathAsWritten: "huge.csv", location: ConfigLocation(file: "test.yaml"))
        let cut = String(decoding: Array(huge.utf8).prefix(SourceColumns.headerLimit), as: UTF8.self)
        #expect(SourceColumns.headers([source])["huge.csv"] == cut.split(separator: ",", omittingEmptySubsequences: false).map(String.init).sorted())
    }
}
