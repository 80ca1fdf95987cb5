import Foundation
import Testing

@testable import Roster
import TestRandom

/// The answers a school's file gets from its bytes, made cheap for a local authority's hundreds of files,
/// must be the general ones: header keys, the interner that now grows from a small table, the file read
/// with `read(2)`, and a title split from an ASCII forename.
@Suite struct PerFileFastPathTests {
    /// Pieces headers are made of: every ASCII white space `Character.isWhitespace` knows, CR LF (one
    /// `Character`), underscores, capitals, quotes, and non-ASCII letters and spaces.
    private static let headerPieces = [
        "Pupil", "ID", "pupil_id", "FAMILY", "Name", "_", "__", " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}",
        "\u{A0}", "\u{85}", "\u{2003}", "É", "e\u{301}", "İ", "ß", "\"", "1", "-", "Ω", "K\u{212A}",
    ]

    @Test func headerKeysFromBytesAreTheKeysByCharacters() {
        for seed in UInt64(0)..<3_000 {
            var random = SeededGenerator(seed: seed)
            var header = ""
            for _ in 0..<(1 + random.next(5)) { header += Self.headerPieces[random.next(Self.headerPieces.count)] }
            #expect(CSVField.headerKey(header) == CSVField.headerKeyByCharacters(header), "seed \(seed): \(header.debugDescription)")
            if let ascii = CSVField.asciiHeaderKey(header) {
                #expect(header.utf8.allSatisfy { $0 < 0x80 }, "seed \(seed)")
                #expect(ascii == CSVField.headerKeyByCharacters(header), "seed \(seed)")
            } else {
                #expect(header.utf8.contains { $0 >= 0x80 }, "seed \(seed)")
            }
        }
        for field in CSVField.allCases {
            #expect(CSVField.asciiHeaderKey(field.rawValue) == CSVField.headerKeyByCharacters(field.rawValue))
        }
    }

    /// Forenames with spaces: titles with and without a dot and in any case, several spaces and ASCII
    /// white space of every kind between words, leading and trailing.
    @Test func titlesSplitFromASCIIBytesAsByCharacters() {
        let words = ["Mrs", "mrs.", "MR", "Dr.", "Professor", "Sir", "Miss", "Mx", "Ann", "Jo", "O'Neil", ".", "Mr.x", "Rev"]
        let spaces = [" ", "  ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", " \t "]
        for seed in UInt64(0)..<3_000 {
            var random = SeededGenerator(seed: seed)
            var given = random.next(4) == 0 ? spaces[random.next(spaces.count)] : ""
            for index in 0..<(1 + random.next(4)) {
                if index > 0 { given += spaces[random.next(spaces.count)] }
                given += words[random.next(words.count)]
            }
            if random.next(4) == 0 { given += spaces[random.next(spaces.count)] }
            let general = NameNormaliser.splitTitleByCharacters(fromGiven: given)
            let fast = NameNormaliser.splitTitleASCII(fromGiven: given)
            #expect(fast?.title == general.title && fast?.given == general.given, "seed \(seed): \(given.debugDescription)")
        }
        #expect(NameNormaliser.splitTitleASCII(fromGiven: "Mrs Zoë") == nil)
        #expect(NameNormaliser.splitTitleASCII(fromGiven: "Mrs  Sarah  Jane")! == ("Mrs", "Sarah Jane"))
    }

    @Test func theInternerGivesEachValueItsOwnTextPastItsFirstTableAndItsCapacity() {
        var interner = StringInterner(capacity: 300)
        var first: [String] = []
        for round in 0..<3 {
            for index in 0..<1_000 {
                let text = index % 7 == 0 ? "v\(index)" : "a value long enough for the heap \(index)"
                let interned = Array(text.utf8).withUnsafeBufferPointer { interner.string($0) }
                #expect(interned == text, "round \(round), value \(index)")
                if round == 0 { first.append(interned) } else { #expect(interned == first[index]) }
            }
        }
        // The empty value and values differing in their last byte only.
        var small = StringInterner()
        #expect([UInt8]().withUnsafeBufferPointer { small.string($0) } == "")
        #expect(Array("ab".utf8).withUnsafeBufferPointer { small.string($0) } == "ab")
        #expect(Array("ac".utf8).withUnsafeBufferPointer { small.string($0) } == "ac")
        #expect(Array("ab".utf8).withUnsafeBufferPointer { small.string($0) } == "ab")
    }

    @Test func aFileIsReadWholeInChunksOfAnySizeAndInRanges() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perfile-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = SeededGenerator(seed: 7)
        let bytes = (0..<70_000).map { _ in UInt8(random.next(256)) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        for chunkSize in [1, 3, 4_096, 69_999, 70_000, 70_001, FileByteStream.defaultChunkSize] {
            var stream = try FileByteStream(path: path, displayName: "x.csv", chunkSize: chunkSize)
            var read: [UInt8] = []
            while let chunk = try stream.nextChunk() {
                #expect(!chunk.isEmpty && chunk.count <= chunkSize)
                read += chunk
            }
            #expect(read == bytes, "chunk size \(chunkSize)")
        }
        for range in [0..<0, 0..<1, 5..<70_000, 69_999..<70_000, 1_000..<50_000] {
            var stream = try FileByteStream(path: path, displayName: "x.csv", range: range)
            var read: [UInt8] = []
            while let chunk = try stream.nextChunk() { read += chunk }
            #expect(read == Array(bytes[range]), "range \(range)")
        }
        #expect(CSVReader.fileSize(path) == 70_000)
        #expect(CSVReader.fileSize(FileManager.default.temporaryDirectory.path) == nil)
        #expect(CSVReader.fileSize(path + ".missing") == nil)
    }
}
