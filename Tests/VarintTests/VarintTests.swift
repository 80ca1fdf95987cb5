import Testing
import Varint

@Suite struct VarintTests {
    /// LEB128's own examples, and each boundary where a varint grows by a byte.
    @Test(arguments: [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]), (624_485, [0xE5, 0x8E, 0x26]),
    ] as [(Int, [UInt8])])
    func valuesTakeTheirKnownBytes(value: Int, bytes: [UInt8]) {
        var written: [UInt8] = []
        Varint.append(value, to: &written)
        #expect(written == bytes)
        #expect(Varint.size(value) == bytes.count)
        var position = 0
        #expect(Varint.read(bytes, at: &position) == value)
        #expect(position == bytes.count)
    }

    @Test func aRunOfVarintsReadsBackInOrderFromAnArrayAndFromRawBytes() {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<2_000).map { index in
            Int.random(in: 0...(index % 4 == 0 ? Int.max : 1 << (7 * (index % 5 + 1))), using: &generator)
        }
        var bytes: [UInt8] = []
        for value in values { Varint.append(value, to: &bytes) }
        #expect(bytes.count == values.reduce(0) { $0 + Varint.size($1) })

        var position = 0
        #expect(values.map { _ in Varint.read(bytes, at: &position) } == values)
        #expect(position == bytes.count)
        bytes.withUnsafeBytes { raw in
            var position = 0
            #expect(values.map { _ in Varint.read(raw, at: &position) } == values)
        }
    }

    /// The checked read (for bytes from a file) reads what the unchecked one reads when the varint is whole,
    /// and nothing, leaving the position, when the bytes end first or hold a varint longer than nine bytes.
    @Test func theCheckedReadRefusesACutOrOverlongVarint() {
        for value in [0, 1, 127, 128, 300, 624_485, Int.max] {
            var bytes: [UInt8] = [0xEE]
            Varint.append(value, to: &bytes)
            var position = 1
            #expect(Varint.read(bytes, at: &position, end: bytes.count) == value && position == bytes.count)
            for end in 1..<bytes.count {
                var cut = 1
                #expect(Varint.read(bytes, at: &cut, end: end) == nil && cut == 1, "\(value) cut at \(end)")
            }
        }
        let overlong = [UInt8](repeating: 0x80, count: 9) + [0x01]
        var position = 0
        #expect(Varint.read(overlong, at: &position, end: overlong.count) == nil && position == 0)
    }
}
