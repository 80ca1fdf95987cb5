@testable import Roster
import Testing
import TestRandom

/// The tokenizer reads a whole line held in one chunk without deciding byte by byte (`readOneLine`),
/// and everything else byte by byte. Read in chunks of one byte, no line is ever whole in a chunk, so
/// every record takes the byte-by-byte path: the two readings of one text must agree on every record,
/// field, line, blank check and syntax error.
@Suite struct CSVTokenizerFastPathTests {
    private struct Reading: Equatable {
        var rows: [[String]] = []
        var lines: [Int] = []
        var blank: [Bool] = []
        var blankFields: [[Bool]] = []
        var errors: [CSVSyntaxError] = []
    }

    private func read(_ bytes: [UInt8], chunkSize: Int) throws -> Reading {
        var tokenizer = CSVTokenizer(try DecodedByteStream(MemoryByteStream(bytes, chunkSize: chunkSize)))
        var record = CSVRecord()
        var decoder = FieldDecoder()
        var reading = Reading()
        while true {
            do {
                guard try tokenizer.next(into: &record) else { break }
                reading.rows.append((0..<record.count).map { record.field($0, file: "t.csv", decoder: &decoder) })
                reading.lines.append(record.line)
                reading.blank.append(record.isBlank)
                reading.blankFields.append((0...record.count).map { record.isBlank(field: $0) })
            } catch let error as CSVSyntaxError {
                reading.errors.append(error)
                if error.isFatal { break }
            }
        }
        return reading
    }

    /// Text made of the pieces CSV syntax turns on: separators, quotes (single and doubled), every kind
    /// of line end, spaces, multi-byte characters and Windows-1252 bytes.
    private func randomCSV(seed: UInt64) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("bc".utf8), Array("é".utf8), Array(" ".utf8), Array(",".utf8), Array(",".utf8),
            Array(",".utf8), Array("\"".utf8), Array("\"\"".utf8), Array("\n".utf8), Array("\r".utf8),
            Array("\r\n".utf8), Array("\"x, y\"".utf8), Array("\"line\nbreak\"".utf8), [0xE9], Array("12 High St".utf8),
        ]
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<(20 + generator.next(200)) { bytes += pieces[generator.next(pieces.count)] }
        return bytes
    }

    @Test(arguments: 0..<400)
    func oneLineAtATimeReadsAsByteByByte(seed: Int) throws {
        let bytes = randomCSV(seed: UInt64(seed))
        let byteByByte = try read(bytes, chunkSize: 1)
        #expect(try read(bytes, chunkSize: 1 << 20) == byteByByte, "seed \(seed)")
        // Chunk edges inside lines: some lines whole in a chunk, the rest byte by byte.
        #expect(try read(bytes, chunkSize: 17) == byteByByte, "seed \(seed)")
    }

    @Test func commonRecordsAndEveryWayOutOfTheFastPath() throws {
        let text = "a,\"b, c\",d\r\n" + "\n" + " , ,\r\n" + "\"say \"\"hi\"\"\",x\n" + "\"two\nlines\",y\n"
            + "bad\"quote,z\n" + "\"abc\"x,w\n" + "é,\"ü\",,\r" + "last,\"unclosed"
        let bytes = Array(text.utf8)
        let fast = try read(bytes, chunkSize: 1 << 20)
        #expect(fast == (try read(bytes, chunkSize: 1)))
        #expect(fast.rows == [["a", "b, c", "d"], [" ", " ", ""], ["say \"hi\"", "x"], ["two\nlines", "y"], ["é", "ü", "", ""]])
        #expect(fast.lines == [1, 3, 4, 5, 9])
        #expect(fast.blank == [false, true, false, false, false])
        #expect(fast.errors.map { [$0.line, $0.column] } == [[7, 4], [8, 6], [10, 6]])
        #expect(fast.errors.last?.isFatal == true)
    }
}
