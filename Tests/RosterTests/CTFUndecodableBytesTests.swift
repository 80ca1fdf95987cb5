import Testing

@testable import Roster

/// Bytes that are not UTF-8 in a name or a processing instruction trap FoundationXML's parser (found by
/// fuzzing): the CTF reader refuses such a file with a message that names it, before parsing, unless the
/// document names an encoding libxml2 converts.
@Suite struct CTFUndecodableBytesTests {
    @Test func bytesThatAreNotUTF8AreRefusedNotParsed() {
        let bytes = Array("<?xml version=\"1.0\"?>\n<CTfile><?pi ".utf8) + [0xFF, 0xFE] + Array("?></CTfile>".utf8)
        do {
            _ = try CTFReader().read(bytes, name: "damaged.xml")
            Issue.record("read a document that is not UTF-8")
        } catch {
            #expect(error.errors.first?.location.file == "damaged.xml")
            #expect(error.description.contains("not valid UTF-8 at byte 35"), "\(error)")
        }
    }

    @Test func theCheckFollowsTheDeclaredEncodingAndWorksAcrossChunks() {
        var utf8 = XMLBytesCheck()
        #expect(utf8.scan(Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Zo".utf8)) == nil)
        #expect(utf8.scan([0xC3]) == nil, "a character split between chunks")
        #expect(utf8.scan([0xAB]) == nil)
        #expect(utf8.scan(Array(repeating: UInt8(ascii: "x"), count: 300)) == nil)
        #expect(utf8.scan([0xFF]) != nil)

        var latin1 = XMLBytesCheck()
        #expect(latin1.scan(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Zo".utf8) + [0xEB]) == nil)
        #expect(latin1.finish() == nil, "libxml2 converts ISO-8859-1 itself")

        var cut = XMLBytesCheck()
        #expect(cut.scan(Array("<a>".utf8) + [0xE2, 0x82]) == nil)
        #expect(cut.finish() != nil, "a character cut off at the end")
    }
}
