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
}
