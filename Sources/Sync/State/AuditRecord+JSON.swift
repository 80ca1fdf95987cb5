/// The audit log's line for a record, written by hand: the bytes `JSONEncoder` gives with
/// `[.sortedKeys, .withoutEscapingSlashes]` (AuditLogTests compares the two, escaping included), at a
/// fraction of its cost — a first run writes one line per account, and the encoder's generic
/// machinery was a seventh of such a run's client CPU.
extension AuditRecord {
    /// The record as one JSON object, without the newline.
    func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var first = true
        // The keys in sorted order, as the encoder sorts them; absent optionals are left out, as the
        // synthesized `encodeIfPresent` leaves them out.
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        if let action { key("action"); JSONText.string(action, into: &out) }
        if let before { key("before"); JSONText.object(before, into: &out) }
        if let changes { key("changes"); JSONText.object(changes, into: &out) }
        if let dn { key("dn"); JSONText.string(dn, into: &out) }
        key("event"); JSONText.string(event, into: &out)
        if let message { key("message"); JSONText.string(message, into: &out) }
        if let operation { key("operation"); JSONText.string(operation, into: &out) }
        if let pupil { key("pupil"); JSONText.string(pupil, into: &out) }
        if let reasons { key("reasons"); JSONText.array(reasons, into: &out) }
        if let result { key("result"); JSONText.string(result, into: &out) }
        key("run"); JSONText.string(run, into: &out)
        key("time"); JSONText.string(time, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// JSON text the way Foundation's `JSONEncoder` writes it with `.withoutEscapingSlashes`: `"` and `\`
/// escaped, the control characters with a short escape where JSON has one and `\u00XX` otherwise,
/// everything else (non-ASCII included) as its UTF-8 bytes.
enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                default:
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    static func array(_ values: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(value, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// An object of string arrays, its keys sorted as the encoder's `.sortedKeys` sorts them.
    static func object(_ values: [String: [String]], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            array(values[key]!, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
