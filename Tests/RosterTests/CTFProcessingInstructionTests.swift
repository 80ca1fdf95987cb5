import Testing

@testable import Roster

/// A processing instruction with bytes that are not UTF-8 traps FoundationXML's parser (found by
/// fuzzing): the CTF reader refuses such a file with a message that names it, before parsing.
@Suite struct CTFProcessingInstructionTests {
    @Test func nonASCIIInsideAProcessingInstructionIsRefusedNotParsed() {
        let bytes = Array("<?xml version=\"1.0\"?>\n<CTfile><?pi ".utf8) + [0xFF, 0xFE] + Array("?></CTfile>".utf8)
        #expect(throws: RosterErrors.self) { _ = try CTFReader().read(bytes, name: "damaged.xml") }
        do {
            _ = try CTFReader().read(bytes, name: "damaged.xml")
        } catch {
            #expect(error.errors.first?.location.file == "damaged.xml")
            #expect(error.description.contains("processing instruction"), "\(error)")
            #expect(error.description.contains("at byte 35"), "\(error)")
        }
    }

    @Test func theScanLooksOnlyInsideInstructionsAndAcrossChunks() {
        var scan = ProcessingInstructionScan()
        #expect(scan.scan(Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Zoë</a><".utf8)) == nil)
        #expect(scan.scan(Array("?x ".utf8)) == nil, "an instruction that starts at a chunk's end")
        #expect(scan.scan([0xC3]) != nil)
        var empty = ProcessingInstructionScan()
        #expect(empty.scan(Array("<?>é".utf8)) != nil, "the ? of <? does not close it")
    }
}
