/// E-mail addresses in the form dedupe compares.
public enum EmailNormaliser {
    /// Trimmed, `mailto:` and surrounding `<>` removed, lower-cased; `nil` when the value is not an
    /// address (blank, `n/a`, no `@`, spaces inside, no dot in the domain).
    ///
    /// The local part is lower-cased too: strictly it is case-sensitive, but no mail service a parent
    /// uses treats it so, and MIS offices type addresses in any case.
    public static func normalise(_ raw: String?) -> String? {
        guard var text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if text.lowercased().hasPrefix("mailto:") { text.removeFirst("mailto:".count) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        text = text.lowercased()
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !text.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" })
        else { return nil }
        return text
    }

    /// The e-mail value of the model: raw and normalised.
    public static func address(_ raw: String?, kind: ContactPointKind) -> EmailAddress? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return EmailAddress(raw: text, normalised: normalise(text), kind: kind)
    }
}
