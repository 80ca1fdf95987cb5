/// E-mail addresses in the form dedupe compares.
public enum EmailNormaliser {
    /// Trimmed, `mailto:` and surrounding `<>` removed, lower-cased; `nil` when the value is not an
    /// address (blank, `n/a`, no `@`, spaces inside, no dot in the domain).
    ///
    /// The local part is lower-cased too: strictly it is case-sensitive, but no mail service a parent
    /// uses treats it so, and MIS offices type addresses in any case.
    public static func normalise(_ raw: String?) -> String? {
        guard var text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        // Most addresses are typed in lower case already: keeping the raw value's storage then saves a
        // second copy of every address in memory (a million, for a local authority's exports).
        if text.utf8.contains(where: { (0x41...0x5A).contains($0) || $0 >= 0x80 }) { text = text.lowercased() }
        if text.hasPrefix("mailto:") { text.removeFirst("mailto:".count) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        // One pass over the bytes: exactly one @, something before it, a dot inside the domain, and
        // no space or list separator anywhere.
        var at: Int?
        var dotAfterAt = false
        var lastByte: UInt8 = 0
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "@"):
                guard at == nil, offset > 0 else { return nil }
                at = offset
            case UInt8(ascii: "."):
                if let at, offset == at + 1 { return nil }
                if at != nil { dotAfterAt = true }
            case 0x00...0x20, UInt8(ascii: ","), UInt8(ascii: ";"), 0xC2:
                return nil
            default:
                break
            }
            lastByte = byte
        }
        guard at != nil, dotAfterAt, lastByte != UInt8(ascii: ".") else { return nil }
        return text
    }

    /// The e-mail value of the model: raw and normalised.
    public static func address(_ raw: String?, kind: ContactPointKind) -> EmailAddress? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return EmailAddress(raw: text, normalised: normalise(text), kind: kind)
    }
}
