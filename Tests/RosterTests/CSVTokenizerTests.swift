import Roster
import Testing

/// Every record and syntax error of `bytes`, read in chunks of `chunkSize` so that chunk edges fall
/// inside fields, quotes and CRLF pairs.
private func tokenize(_ bytes: [UInt8], chunkSize: Int = 3) throws -> (rows: [[String]], lines: [Int], errors: [CSVSyntaxError]) {
    var tokenizer = CSVTokenizer(try DecodedByteStream(MemoryByteStream(bytes, chunkSize: chunkSize)))
    var record = CSVRecord()
    var decoder = FieldDecoder()
    var rows: [[String]] = []
    var lines: [Int] = []
    var errors: [CSVSyntaxError] = []
    while true {
        do {
            guard try tokenizer.next(into: &record) else { break }
            rows.append((0..<record.count).map { record.field($0, file: "t.csv", decoder: &decoder) })
            lines.append(record.line)
        } catch let error as CSVSyntaxError {
            errors.append(error)
            if error.isFatal { break }
        }
    }
    return (rows, lines, errors)
}

private func tokenize(_ text: String, chunkSize: Int = 3) throws -> (rows: [[String]], lines: [Int], errors: [CSVSyntaxError]) {
    try tokenize(Array(text.utf8), chunkSize: chunkSize)
}

@Suite struct CSVTokenizerTests {
    @Test(arguments: [1, 2, 3, 7, 1 << 20])
    func quotedFieldsWithCommasQuotesAndNewlinesSurviveAnyChunkSize(chunkSize: Int) throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nlast,,\n"
        let result = try tokenize(text, chunkSize: chunkSize)
        #expect(result.errors.isEmpty)
        #expect(result.rows == [["a", "b", "c"], ["x, y", "say \"hi\"", "line1\r\nline2"], ["last", "", ""]])
        #expect(result.lines == [1, 2, 4])
    }

    @Test func lfCrAndMissingFinalLineEndAreAllLineEnds() throws {
        let result = try tokenize("a,b\nc,d\re,f")
        #expect(result.rows == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(result.lines == [1, 2, 3])
    }

    @Test func blankLinesAreNotRecords() throws {
        let result = try tokenize("a\n\n\r\nb\n\n")
        #expect(result.rows == [["a"], ["b"]])
        #expect(result.lines == [1, 4])
    }

    @Test func quoteInsideUnquotedFieldIsAnErrorWithLineAndColumnAndReadingGoesOn() throws {
        let result = try tokenize("a,b\nok,ba\"d\nc,d\n")
        #expect(result.rows == [["a", "b"], ["c", "d"]])
        #expect(result.errors.map { [$0.line, $0.column] } == [[2, 6]])
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        let result = try tokenize("\"abc\"x,y\nz\n")
        #expect(result.errors.map { [$0.line, $0.column] } == [[1, 6]])
        #expect(result.rows == [["z"]])
    }

    @Test func unclosedQuoteIsFatalAndNamesWhereItOpened() throws {
        let result = try tokenize("a,b\nc,\"never closed\nmore\n")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.line == 2)
        #expect(result.errors.first?.column == 3)
        #expect(result.errors.first?.isFatal == true)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let result = try tokenize("é,ü\"x\n")
        #expect(result.errors.first?.column == 4)
    }
}

@Suite struct EncodingTests {
    @Test func utf8ByteOrderMarkIsRemoved() throws {
        let result = try tokenize([0xEF, 0xBB, 0xBF] + Array("name\nJosé\n".utf8), chunkSize: 1)
        #expect(result.rows == [["name"], ["José"]])
    }

    @Test func windows1252BytesAreReadWhenNotValidUTF8AndTheFirstIsRemembered() throws {
        // "Jalapeño-Pérez" and a curly apostrophe as Excel saves them on Windows.
        let bytes: [UInt8] = Array("id,name\n1,Jalape".utf8) + [0xF1] + Array("o-P".utf8) + [0xE9] + Array("rez\n2,O".utf8)
            + [0x92] + Array("Neill\n".utf8)
        var tokenizer = CSVTokenizer(try DecodedByteStream(MemoryByteStream(bytes)))
        var record = CSVRecord()
        var decoder = FieldDecoder()
        var names: [String] = []
        while try tokenizer.next(into: &record) { names.append(record.field(1, file: "x.csv", decoder: &decoder)) }
        #expect(names == ["name", "Jalapeño-Pérez", "O\u{2019}Neill"])
        #expect(decoder.firstLegacyField == SourceLocation(file: "x.csv", line: 2, column: 2))
    }

    @Test func validUTF8LeavesNoLegacyWarning() throws {
        var decoder = FieldDecoder()
        _ = decoder.string(Array("Pérez".utf8), at: SourceLocation(file: "x"))
        #expect(decoder.firstLegacyField == nil)
    }

    @Test(arguments: [true, false])
    func utf16WithByteOrderMarkIsTranscoded(littleEndian: Bool) throws {
        let text = "id,name\r\n1,Zoë 😀\r\n"
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += littleEndian ? pair : pair.reversed()
        }
        // Chunks of 3 bytes split code units and the surrogate pair of the emoji.
        let result = try tokenize(bytes, chunkSize: 3)
        #expect(result.rows == [["id", "name"], ["1", "Zoë 😀"]])
    }
}
