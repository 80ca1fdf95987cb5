/// Why a change was held back (DESIGN.md Part B: `held[].gate`, metric `ldap_sync_held{gate}`).
public enum SafetyGate: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case maxDisable = "max-disable"
    case maxUnlink = "max-unlink"
    case maxDelete = "max-delete"
    case sourceShrunk = "source-shrunk"
    case sourceColumnsChanged = "source-columns-changed"
    case sourceUnreadable = "source-unreadable"

    /// Whether `--accept-limits` releases what this gate holds. An unreadable source is not a limit:
    /// nothing of its school is known, so there is nothing right to apply.
    public var isReleasedByAcceptLimits: Bool { self != .sourceUnreadable }

    /// The gate in plain words, for reports.
    public var description: String {
        switch self {
        case .maxDisable: "more disables of disappeared contacts than safety.max_disable allows"
        case .maxUnlink: "more unlinks of disappeared children than safety.max_unlink allows"
        case .maxDelete: "more deletes than safety.max_delete allows"
        case .sourceShrunk: "the school's export has far fewer records than its last good run"
        case .sourceColumnsChanged: "the school's export has different columns from its last good run"
        case .sourceUnreadable: "the school's export could not be read or failed validation"
        }
    }
}
