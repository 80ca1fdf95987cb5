/// E-mail addresses in the form dedupe compares.
public enum EmailNormaliser {
    /// Trimmed, `mailto:` and surrounding `<>` removed, lower-cased; `nil` when the value is not an
    /// address (blank, `n/a`, no `@`, spaces inside, no dot in the domain).
    ///
    /// The local part is lower-cased too: strictly it is case-sensitive, but no mail service a parent
    /// uses treats it so, and MIS offices type addresses in any case.
    public static func normalise(_ raw: String?) -> String? {
        guard let raw else { return nil }
        // Most addresses are typed already in this form: answer those from the bytes and keep the
        // source's string, which also saves holding a second copy of every address.
        var bytes = raw
        switch bytes.withUTF8(plainForm) {
        case .normal: return raw
        case .notAnAddress: return nil
        case .needsWork: break
        }
        var text = raw.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        text = text.lowercased()
        if text.hasPrefix("mailto:") { text.removeFirst("mailto:".count) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        return text.withUTF8(isAddress) ? text : nil
    }

    enum PlainForm { case normal, notAnAddress, needsWork }

    /// `.normal` when the value is ASCII without capitals, surrounding space, `mailto:` or `<>` (so
    /// normalising would not change it) and is an address; `.notAnAddress` when such a value is not one;
    /// `.needsWork` for the rest, which take the general path. `plainFormInTwoPasses` is the same answer
    /// in the plainer form the tests compare this one with.
    static func plainForm(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainForm {
        guard let first = bytes.first, first != UInt8(ascii: "<"), first != UInt8(ascii: "m"),
            first != UInt8(ascii: "M")
        else {
            return .needsWork
        }
        // Leading or trailing white space: trimmed first on the general path.
        if first <= 0x20 || bytes.last! <= 0x20 { return .needsWork }
        // One pass, one table look-up for most bytes (the two passes, a `switch` of ranges a byte, cost
        // ≈ 700 instructions an address). A byte that needs work wins over one that makes the value no
        // address, as the check of the whole value came first in two passes.
        var at = -1
        var dotAfterAt = false
        var isAddress = true
        return emailByteClasses.withUnsafeBufferPointer { classes -> PlainForm in
            for offset in 0..<bytes.count {
                switch classes[Int(bytes[offset])] {
                case 0: continue
                case ByteClass.needsWork: return .needsWork
                case ByteClass.notInAnAddress: isAddress = false
                case ByteClass.at:
                    if at >= 0 || offset == 0 { isAddress = false }
                    at = offset
                default:  // ByteClass.dot
                    if at >= 0 {
                        if offset == at + 1 { isAddress = false }
                        dotAfterAt = true
                    }
                }
            }
            return isAddress && at >= 0 && dotAfterAt && bytes.last! != UInt8(ascii: ".") ? .normal : .notAnAddress
        }
    }

    /// `plainForm` as two passes over the bytes: the whole value checked for what needs work, then
    /// `isAddress`.
    static func plainFormInTwoPasses(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainForm {
        guard let first = bytes.first, first != UInt8(ascii: "<"), first != UInt8(ascii: "m"),
            first != UInt8(ascii: "M")
        else {
            return .needsWork
        }
        for byte in bytes where byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) {
            return .needsWork
        }
        if first <= 0x20 || bytes.last! <= 0x20 { return .needsWork }
        return isAddress(bytes) ? .normal : .notAnAddress
    }

    /// What `plainForm` makes of each byte.
    private enum ByteClass {
        static let needsWork: UInt8 = 1
        static let notInAnAddress: UInt8 = 2
        static let at: UInt8 = 3
        static let dot: UInt8 = 4
    }

    /// `ByteClass` of each byte value, 0 for the bytes of an address that need no look.
    private static let emailByteClasses: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        switch value {
        case 0x80...0xFF, Int(UInt8(ascii: "A"))...Int(UInt8(ascii: "Z")): ByteClass.needsWork
        case 0x00...0x20, Int(UInt8(ascii: ",")), Int(UInt8(ascii: ";")): ByteClass.notInAnAddress
        case Int(UInt8(ascii: "@")): ByteClass.at
        case Int(UInt8(ascii: ".")): ByteClass.dot
        default: 0
        }
    }

    /// One pass over the bytes: exactly one @, something before it, a dot inside the domain, and no
    /// space or list separator anywhere.
    private static func isAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var at: Int?
        var dotAfterAt = false
        var lastByte: UInt8 = 0
        var offset = 0
        for byte in bytes {
            defer { offset += 1 }
            switch byte {
            case UInt8(ascii: "@"):
                guard at == nil, offset > 0 else { return false }
                at = offset
            case UInt8(ascii: "."):
                if let at, offset == at + 1 { return false }
                if at != nil { dotAfterAt = true }
            case 0x00...0x20, UInt8(ascii: ","), UInt8(ascii: ";"), 0xC2:
                return false
            default:
                break
            }
            lastByte = byte
        }
        return at != nil && dotAfterAt && lastByte != UInt8(ascii: ".")
    }

    /// The e-mail value of the model: raw and normalised.
    public static func address(_ raw: String?, kind: ContactPointKind) -> EmailAddress? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return EmailAddress(raw: text, normalised: normalise(text), kind: kind)
    }

    /// `address` of a value already trimmed and not blank (a CSV reader's field): the same result
    /// without trimming again.
    static func address(trimmed text: String?, kind: ContactPointKind) -> EmailAddress? {
        guard let text else { return nil }
        return EmailAddress(raw: text, normalised: normalise(text), kind: kind)
    }
}
