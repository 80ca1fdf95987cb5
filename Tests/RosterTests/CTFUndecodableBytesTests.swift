import Testing

@testable import Roster

/// Bytes that are not UTF-8 in a name or a processing instruction trapped FoundationXML's parser (found by
/// fuzzing, inputs kept in FuzzRegressions). The reader now drives libxml2 itself, which reports them: the
/// file is refused with a message that names it, and nothing of it is read.
@Suite struct CTFUndecodableBytesTests {
    @Test func bytesThatAreNotUTF8InAnInstructionAreRefusedNamingTheFile() {
        let bytes = Array("<?xml version=\"1.0\"?>\n<CTfile><?pi ".utf8) + [0xFF, 0xFE] + Array("?></CTfile>".utf8)
        do {
            _ = try CTFReader().read(bytes, name: "damaged.xml")
            Issue.record("read a document that is not UTF-8")
        } catch {
            #expect(error.errors.first?.location.file == "damaged.xml")
            #expect(error.description.contains("damaged.xml:2:"), "\(error)")
        }
    }

    @Test func bytesThatAreNotUTF8InAnElementNameAreRefusedNamingTheFile() {
        let bytes = Array("<?xml version=\"1.0\"?>\n<CTfile><Pupil".utf8) + [0xC3, 0x28] + Array("/></CTfile>".utf8)
        do {
            _ = try CTFReader().read(bytes, name: "damaged.xml")
            Issue.record("read a document that is not UTF-8")
        } catch {
            #expect(error.errors.first?.location.file == "damaged.xml")
        }
    }
}
