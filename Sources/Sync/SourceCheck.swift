import Roster

/// What `ldap-sync check` says about the sources: each read in full, with its counts, warnings and
/// errors. The directory part of `check` is added by the sync work.
public struct SourceCheck: Sendable {
    /// One source's result.
    public struct Entry: Sendable {
        /// `sources[i]`, as the config numbers them.
        public var index: Int
        /// The source as configured.
        public var source: SourceConfig
        /// Pupils read (0 when the source failed).
        public var pupils: Int
        /// Contact records read.
        public var contacts: Int
        /// Pupil–contact links read.
        public var links: Int
        /// Oddities for the school office.
        public var warnings: [RosterWarning]
        /// Why the source cannot be used; empty when it can.
        public var errors: [RosterError]
        /// More errors were found than `errors` holds.
        public var errorsTruncated: Bool
    }

    /// One per configured source, in config order.
    public var entries: [Entry]

    /// Reads every source of `config`.
    public static func run(config: Config) -> SourceCheck {
        SourceCheck(entries: config.sources.enumerated().map { index, source in
            switch SourceReader.read(source) {
            case .success(let roster):
                Entry(
                    index: index, source: source, pupils: roster.pupils.count, contacts: roster.contacts.count,
                    links: roster.links.count, warnings: roster.warnings, errors: [], errorsTruncated: false)
            case .failure(let failure):
                Entry(
                    index: index, source: source, pupils: 0, contacts: 0, links: 0, warnings: failure.warnings,
                    errors: failure.errors, errorsTruncated: failure.truncated)
            }
        })
    }

    /// An input error (2) when any source has an error; else success. Warnings are for the school
    /// office to fix in the MIS and do not stop a run.
    public var exitStatus: ExitStatus {
        entries.contains { !$0.errors.isEmpty } ? .inputError : .success
    }

    /// One line per source with its counts, then its errors and warnings, one per line.
    public var text: String {
        var lines: [String] = []
        for entry in entries {
            let source = entry.source
            let kind = source.format == .csv ? "csv, \(source.columns.isEmpty ? source.preset : "columns")" : source.format.rawValue
            let errors = "\(entry.errors.count)\(entry.errorsTruncated ? "+" : "")"
            lines.append(
                "sources[\(entry.index)] \(source.pathAsWritten) (\(kind)): \(entry.pupils) pupils, \(entry.contacts) contacts, "
                    + "\(entry.links) links, \(entry.warnings.count) warnings, \(errors) errors")
            lines += entry.errors.map { "  \($0)" }
            if entry.errorsTruncated { lines.append("  (more errors not shown)") }
            lines += entry.warnings.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
