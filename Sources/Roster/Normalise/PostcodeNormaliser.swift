/// UK postcodes in one spelling: upper case, one space before the inward code (`SW1A 1AA`).
public enum PostcodeNormaliser {
    /// The normalised postcode, or `nil` when the value does not have the shape of a UK postcode.
    public static func normalise(_ raw: String?) -> String? {
        guard let raw else { return nil }
        // ASCII bytes only: a UK postcode has no other characters, and this runs on every row.
        var compact: [UInt8] = []
        compact.reserveCapacity(8)
        for byte in raw.utf8 {
            switch byte {
            case 0x20, 0x09: continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"): compact.append(byte - 0x20)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): compact.append(byte)
            default: return nil
            }
            if compact.count > 7 { return nil }
        }
        guard compact.count >= 5 else { return nil }
        let inward = compact.suffix(3)
        let outward = compact.dropLast(3)
        guard isInward(inward), isOutward(outward) else { return nil }
        return String(decoding: outward, as: UTF8.self) + " " + String(decoding: inward, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    /// Digit then two letters (`1AA`).
    private static func isInward(_ part: ArraySlice<UInt8>) -> Bool {
        let start = part.startIndex
        return isDigit(part[start]) && isLetter(part[start + 1]) && isLetter(part[start + 2])
    }

    /// One or two letters, then a digit, then an optional digit or letter (`B1`, `SW1A`, `M60`, `EC1V`);
    /// `GIR` for Girobank's `GIR 0AA`.
    private static func isOutward(_ part: ArraySlice<UInt8>) -> Bool {
        if part.elementsEqual("GIR".utf8) { return true }
        let characters = Array(part)
        guard (2...4).contains(characters.count), isLetter(characters[0]) else { return false }
        let area = isLetter(characters[1]) ? 2 : 1
        guard area < characters.count, isDigit(characters[area]) else { return false }
        let rest = characters[(area + 1)...]
        return rest.count <= 1 && rest.allSatisfy { isDigit($0) || isLetter($0) }
    }
}
