import Reconcile

extension DedupeReport {
    /// One row per person, for a spreadsheet: `id, name, records, children, eligible, reasons,
    /// matched_on`, list values separated by spaces. Near misses and warnings are in the text and JSON
    /// forms; a CSV holds one table.
    public func csv() -> String {
        var lines = ["id,name,records,children,eligible,reasons,matched_on"]
        for parent in resolution.parents {
            lines.append([
                parent.id, parent.displayName, parent.records.map(\.description).joined(separator: " "),
                parent.children.map(\.description).joined(separator: " "), parent.isEligible ? "yes" : "no",
                parent.reasons.map(\.rawValue).joined(separator: " "),
                parent.matchedOn.map(\.rawValue).joined(separator: " "),
            ].map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting, and a leading `'` for values a spreadsheet would run as a formula.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
