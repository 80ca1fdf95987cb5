/// UK phone numbers to E.164 (`+447700900123`), as MIS offices type them.
public enum PhoneNormaliser {
    /// E.164, or `nil` when the value cannot be read as a phone number.
    ///
    /// Accepts `07…`, `+44 7…`, `+44 (0)7…`, `0044…`, spaces, dashes, dots and brackets, and a UK mobile
    /// whose leading zero a spreadsheet dropped (`7700900123`). A number written with another country's
    /// `+` or `00` prefix is kept in E.164 as written.
    public static func e164(_ raw: String?) -> String? {
        guard var raw else { return nil }
        return raw.withUTF8 { e164(utf8: $0) }
    }

    /// `e164` on the value's UTF-8 bytes. Bytes, not characters, and no heap buffer: this runs for every
    /// phone of every row.
    static func e164(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // "+44 (0)20 …": the bracketed zero is the trunk prefix, dialled only from inside the UK. The
        // first such "(0)" is skipped.
        var trunk = -1
        if bytes.count >= 3 {
            for index in 0..<(bytes.count - 2)
            where bytes[index] == UInt8(ascii: "(") && bytes[index + 1] == UInt8(ascii: "0")
                && bytes[index + 2] == UInt8(ascii: ")")
            {
                trunk = index
                break
            }
        }
        // One byte for "+" and room for every digit: E.164 never needs more.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 3) { buffer in
            var count = 0
            var international: Bool?
            var index = 0
            while index < bytes.count {
                if index == trunk {
                    index += 3
                    continue
                }
                let byte = bytes[index]
                index += 1
                if international == nil, byte != 0x20, byte != 0x09 { international = byte == UInt8(ascii: "+") }
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    buffer[3 + count] = byte
                    count += 1
                // Separators people type; 0xC2 0xA0 is a no-break space.
                case 0x20, 0x09, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                    UInt8(ascii: "/"), UInt8(ascii: "+"), 0xC2, 0xA0:
                    continue
                default:
                    return nil
                }
            }
            let digits = UnsafeMutableBufferPointer(rebasing: buffer[3..<(3 + count)])
            func starts(with prefix: StaticString) -> Bool {
                prefix.withUTF8Buffer { $0.count <= digits.count && $0.elementsEqual(digits[0..<$0.count]) }
            }
            if international == true {
                return starts(with: "44") ? uk(buffer, national: 5, end: 3 + count) : other(buffer, digits: 3, end: 3 + count)
            }
            if starts(with: "0044") { return uk(buffer, national: 7, end: 3 + count) }
            if starts(with: "00") { return other(buffer, digits: 5, end: 3 + count) }
            if digits.first == UInt8(ascii: "0") { return uk(buffer, national: 4, end: 3 + count) }
            if digits.count == 10, digits.first == UInt8(ascii: "7") { return uk(buffer, national: 3, end: 3 + count) }
            return nil
        }
    }

    /// The phone value of the model: raw and E.164.
    public static func number(_ raw: String?, kind: ContactPointKind) -> PhoneNumber? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return PhoneNumber(raw: text, e164: e164(text), kind: kind)
    }

    /// `number` of a value already trimmed and not blank (a CSV reader's field): the same result
    /// without trimming again.
    static func number(trimmed text: String?, kind: ContactPointKind) -> PhoneNumber? {
        guard let text else { return nil }
        return PhoneNumber(raw: text, e164: e164(text), kind: kind)
    }

    /// `buffer[national..<end]` is a UK national number (three free bytes in front of it for "+44"). A UK
    /// national significant number is 9 or 10 digits and never starts with 0 or 4 or 6.
    private static func uk(_ buffer: UnsafeMutableBufferPointer<UInt8>, national: Int, end: Int) -> String? {
        var start = national
        if start < end, buffer[start] == UInt8(ascii: "0") { start += 1 }
        guard (9...10).contains(end - start), buffer[start] != UInt8(ascii: "0"), buffer[start] != UInt8(ascii: "4"),
            buffer[start] != UInt8(ascii: "6")
        else {
            return nil
        }
        buffer[start - 3] = UInt8(ascii: "+")
        buffer[start - 2] = UInt8(ascii: "4")
        buffer[start - 1] = UInt8(ascii: "4")
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[(start - 3)..<end]), as: UTF8.self)
    }

    /// `buffer[start..<end]` is an international number without its prefix (a free byte in front for
    /// "+"). E.164 allows at most 15 digits; fewer than 8 is not a real international number.
    private static func other(_ buffer: UnsafeMutableBufferPointer<UInt8>, digits start: Int, end: Int) -> String? {
        guard (8...15).contains(end - start), buffer[start] != UInt8(ascii: "0") else { return nil }
        buffer[start - 1] = UInt8(ascii: "+")
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[(start - 1)..<end]), as: UTF8.self)
    }
}
