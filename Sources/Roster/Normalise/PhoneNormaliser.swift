/// UK phone numbers to E.164 (`+447700900123`), as MIS offices type them.
public enum PhoneNormaliser {
    /// E.164, or `nil` when the value cannot be read as a phone number.
    ///
    /// Accepts `07…`, `+44 7…`, `+44 (0)7…`, `0044…`, spaces, dashes, dots and brackets, and a UK mobile
    /// whose leading zero a spreadsheet dropped (`7700900123`). A number written with another country's
    /// `+` or `00` prefix is kept in E.164 as written.
    public static func e164(_ raw: String?) -> String? {
        guard let raw else { return nil }
        // Bytes, not characters: this runs for every phone of every row.
        var bytes = Array(raw.utf8)
        // "+44 (0)20 …": the bracketed zero is the trunk prefix, dialled only from inside the UK.
        if let trunk = bytes.indices.dropLast(2).first(where: {
            bytes[$0] == UInt8(ascii: "(") && bytes[$0 + 1] == UInt8(ascii: "0") && bytes[$0 + 2] == UInt8(ascii: ")")
        }) {
            bytes.removeSubrange(trunk..<trunk + 3)
        }
        let international = bytes.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "+")
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte)
            } else if !" -.()/+\t".utf8.contains(byte), byte != 0xC2, byte != 0xA0 {  // 0xC2 0xA0: no-break space
                return nil
            }
        }
        let zero = UInt8(ascii: "0")
        if international {
            return digits.starts(with: [0x34, 0x34]) ? uk(national: digits.dropFirst(2)) : other(digits[...])
        }
        if digits.starts(with: [zero, zero, 0x34, 0x34]) { return uk(national: digits.dropFirst(4)) }
        if digits.starts(with: [zero, zero]) { return other(digits.dropFirst(2)) }
        if digits.first == zero { return uk(national: digits.dropFirst()) }
        if digits.count == 10, digits.first == UInt8(ascii: "7") { return uk(national: digits[...]) }
        return nil
    }

    /// The phone value of the model: raw and E.164.
    public static func number(_ raw: String?, kind: ContactPointKind) -> PhoneNumber? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return PhoneNumber(raw: text, e164: e164(text), kind: kind)
    }

    /// A UK national significant number is 9 or 10 digits and never starts with 0 or 4 or 6.
    private static func uk(national: ArraySlice<UInt8>) -> String? {
        var national = national
        if national.first == UInt8(ascii: "0") { national = national.dropFirst() }
        guard (9...10).contains(national.count), let first = national.first, !"046".utf8.contains(first) else {
            return nil
        }
        return "+44" + String(decoding: national, as: UTF8.self)
    }

    /// E.164 allows at most 15 digits; fewer than 8 is not a real international number.
    private static func other(_ digits: ArraySlice<UInt8>) -> String? {
        guard (8...15).contains(digits.count), digits.first != UInt8(ascii: "0") else { return nil }
        return "+" + String(decoding: digits, as: UTF8.self)
    }
}
