/// UK postcodes in one spelling: upper case, one space before the inward code (`SW1A 1AA`).
public enum PostcodeNormaliser {
    /// The normalised postcode, or `nil` when the value does not have the shape of a UK postcode.
    public static func normalise(_ raw: String?) -> String? {
        guard let raw else { return nil }
        // From the contiguous bytes: iterating the string's UTF-8 view cost more than the rest.
        var source = raw
        return source.withUTF8 { normalise(utf8: $0, source: raw) }
    }

    /// `normalise` on the bytes of `source`.
    private static func normalise(utf8 bytes: UnsafeBufferPointer<UInt8>, source raw: String) -> String? {
        // ASCII bytes only, in a fixed buffer: a UK postcode has no other characters, and this runs on
        // every row.
        var compact: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        return withUnsafeMutableBytes(of: &compact) { buffer -> String? in
            for byte in bytes {
                switch byte {
                case 0x20, 0x09: continue
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard count < 7 else { return nil }
                    buffer[count] = byte >= UInt8(ascii: "a") ? byte - 0x20 : byte
                    count += 1
                default: return nil
                }
            }
            guard count >= 5 else { return nil }
            let outward = UnsafeRawBufferPointer(rebasing: buffer[0..<(count - 3)])
            let inward = UnsafeRawBufferPointer(rebasing: buffer[(count - 3)..<count])
            guard isInward(inward), isOutward(outward) else { return nil }
            // Already in this spelling, as most are: keep the source's string rather than a copy.
            if bytes.count == count + 1 {
                var same = true
                for (offset, byte) in bytes.enumerated() {
                    let expected = offset < count - 3 ? buffer[offset] : offset == count - 3 ? 0x20 : buffer[offset - 1]
                    if byte != expected {
                        same = false
                        break
                    }
                }
                if same { return raw }
            }
            return String(decoding: outward, as: UTF8.self) + " " + String(decoding: inward, as: UTF8.self)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    /// Digit then two letters (`1AA`).
    private static func isInward(_ part: UnsafeRawBufferPointer) -> Bool {
        isDigit(part[0]) && isLetter(part[1]) && isLetter(part[2])
    }

    /// One or two letters, then a digit, then an optional digit or letter (`B1`, `SW1A`, `M60`, `EC1V`);
    /// `GIR` for Girobank's `GIR 0AA`.
    private static func isOutward(_ characters: UnsafeRawBufferPointer) -> Bool {
        // Byte by byte: `elementsEqual("GIR".utf8)` went through the generic sequence comparison
        // (≈ 100 instructions a postcode).
        if characters.count == 3, characters[0] == UInt8(ascii: "G"), characters[1] == UInt8(ascii: "I"),
            characters[2] == UInt8(ascii: "R")
        {
            return true
        }
        guard (2...4).contains(characters.count), isLetter(characters[0]) else { return false }
        let area = isLetter(characters[1]) ? 2 : 1
        guard area < characters.count, isDigit(characters[area]) else { return false }
        let rest = characters[(area + 1)...]
        return rest.count <= 1 && rest.allSatisfy { isDigit($0) || isLetter($0) }
    }
}
