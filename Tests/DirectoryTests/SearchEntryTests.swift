import Testing

@testable import Directory

/// `SearchEntryDecoder` reads a search entry's attributes from their BER into an `Entry`'s buffer.
@Suite struct SearchEntryTests {
    /// A BER element: tag, definite length (short or long form), contents.
    static func element(_ tag: UInt8, _ contents: [UInt8], longForm: Bool = false) -> [UInt8] {
        if !longForm && contents.count < 0x80 { return [tag, UInt8(contents.count)] + contents }
        let length = withUnsafeBytes(of: UInt32(contents.count).bigEndian, Array.init)
        return [tag, 0x84] + length + contents
    }

    /// A PartialAttribute's contents: the type, then the SET of values.
    static func partialAttribute(_ name: String, _ values: [[UInt8]], longForm: Bool = false) -> [UInt8] {
        element(0x04, Array(name.utf8)) + element(0x31, values.flatMap { element(0x04, $0, longForm: longForm) }, longForm: longForm)
    }

    static func decode(_ contents: [[UInt8]]) -> Entry {
        // Each attribute in a buffer of its own, as each lies at its own place in a message.
        let buffers = contents.map { bytes in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            buffer.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
            return UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count])
        }
        defer { buffers.forEach { UnsafeMutableRawBufferPointer(mutating: $0).deallocate() } }
        return Entry(dn: "uid=ann", storage: SearchEntryDecoder.layout(ofAttributes: buffers))
    }

    @Test func namesAndValuesComeOutAsTheyWereSentIncludingBinaryAndLongForms() {
        let big = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
        let entry = Self.decode([
            Self.partialAttribute("objectClass", [Array("inetOrgPerson".utf8), Array("misParent".utf8)]),
            Self.partialAttribute("jpegPhoto", [[0xFF, 0x00, 0xD9], [], big], longForm: true),
            Self.partialAttribute("noValues", []),
        ])
        #expect(entry == Entry(dn: "uid=ann", attributes: [
            Attribute("objectClass", ["inetOrgPerson", "misParent"]),
            Attribute("jpegPhoto", values: [[0xFF, 0x00, 0xD9], [], big]),
            Attribute("noValues", values: []),
        ]))
    }

    @Test func anAttributeThatDoesNotParseEndsTheListThere() {
        let good = Self.partialAttribute("uid", [Array("ann".utf8)])
        var overrun = Self.partialAttribute("mail", [Array("a@b".utf8)])
        overrun[overrun.count - 4] = 0x7F  // a value longer than its SET
        let indefinite: [UInt8] = Self.element(0x04, Array("cn".utf8)) + [0x31, 0x80, 0x04, 0x01, 0x41, 0x00, 0x00]
        let multiByteTag: [UInt8] = [0x1F, 0x01, 0x02, 0x31, 0x00]
        for bad in [overrun, indefinite, multiByteTag, [0x04], []] {
            let entry = Self.decode([good, bad, good])
            #expect(entry.attributes == [Attribute("uid", ["ann"])])
        }
    }

    @Test func elementsAreFramedWithinTheirBuffer() {
        func frame(_ bytes: [UInt8]) -> (UInt8, Range<Int>)? {
            bytes.withUnsafeBytes { SearchEntryDecoder.element(in: $0, at: 0).map { ($0.tag, $0.contents) } }
        }
        #expect(frame([0x04, 0x02, 0x41, 0x42])! == (0x04, 2..<4))
        #expect(frame([0x04, 0x81, 0x02, 0x41, 0x42])! == (0x04, 3..<5))
        #expect(frame([0x04, 0x03, 0x41, 0x42]) == nil)
        #expect(frame([0x04, 0x85, 0, 0, 0, 0, 1, 0x41]) == nil)
        #expect(frame([0x04]) == nil)
    }

    /// The attributes behind the first, framed here as `ber_skip_element` frames them: SEQUENCEs one after
    /// another, the list ending at anything else (the message's controls), at an element that runs past
    /// the message, and at the message's end; lengths in their long form up to eight bytes.
    @Test func theAttributesBehindTheFirstAreTheSequencesUpToAnythingElse() {
        let one = Self.element(0x30, Self.partialAttribute("uid", [Array("ann".utf8)]))
        let two = Self.element(0x30, Self.partialAttribute("cn", [Array("Ann".utf8)]), longForm: true)
        let eightByteLength: [UInt8] = [0x30, 0x88, 0, 0, 0, 0, 0, 0, 0, 2, 0x41, 0x42]
        let controls = Self.element(0xA0, Self.element(0x30, Self.element(0x04, Array("1.2.3".utf8))))
        func framed(_ bytes: [UInt8]) -> [[UInt8]] {
            bytes.withUnsafeBytes { raw in
                var contents: [UnsafeRawBufferPointer] = []
                SearchEntryDecoder.sequences(in: raw, into: &contents)
                return contents.map { Array($0) }
            }
        }
        let contents = [Array(one.dropFirst(2)), Array(two.dropFirst(6)), [0x41, 0x42]]
        #expect(framed(one + two + eightByteLength) == contents)
        #expect(framed(one + two + eightByteLength + controls + one) == contents)
        #expect(framed(one + [0x30, 0x05, 0x41]) == [contents[0]])
        #expect(framed(one + [0x30, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x41]) == [contents[0]])
        #expect(framed(one + [0x30, 0x80, 0x00, 0x00]) == [contents[0]])
        #expect(framed(one + [0x30]) == [contents[0]])
        #expect(framed([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == [])
        #expect(framed([]) == [])
    }
}
