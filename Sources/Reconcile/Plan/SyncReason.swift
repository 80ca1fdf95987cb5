/// Why the planner changes an entry where no eligibility reason applies: the data moved, not the rights.
public enum SyncReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// No source lists any record of the account's person any more.
    case contactDisappeared = "contact-disappeared"
    /// The source no longer lists this contact with this pupil.
    case linkDisappeared = "link-disappeared"
    /// Name, e-mail or mobile changed in the MIS.
    case detailsChanged = "details-changed"
    /// The person's record references changed (records added, removed or renumbered).
    case recordsChanged = "records-changed"
    /// The pupil's own entry was found, moved or removed in the directory.
    case childEntryChanged = "child-entry-changed"
    /// The entry's status attributes, lock or role group membership disagreed with its status.
    case statusRepaired = "status-repaired"
    /// A disabled account has been disabled for longer than `accounts.delete_after_days`.
    case disabledPastGracePeriod = "disabled-past-grace-period"

    /// The reason in plain words.
    public var description: String {
        switch self {
        case .contactDisappeared: "no source lists this person any more"
        case .linkDisappeared: "the source no longer lists this contact for this pupil"
        case .detailsChanged: "name, e-mail or mobile changed in the MIS"
        case .recordsChanged: "the person's MIS records changed"
        case .childEntryChanged: "the pupil's own directory entry was found, moved or removed"
        case .statusRepaired: "the entry's lock, status or group membership did not match its status"
        case .disabledPastGracePeriod: "disabled for longer than accounts.delete_after_days"
        }
    }
}

/// One reason of a change: an eligibility reason code, or a sync reason. Encoded as its code string.
public enum ChangeReason: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case eligibility(ReasonCode)
    case sync(SyncReason)

    /// The code scripts see.
    public var code: String {
        switch self {
        case .eligibility(let reason): reason.rawValue
        case .sync(let reason): reason.rawValue
        }
    }

    /// The reason in plain words.
    public var description: String { description(in: .unspecified) }

    /// The reason in plain words, in the wording of `jurisdiction`.
    public func description(in jurisdiction: Jurisdiction) -> String {
        switch self {
        case .eligibility(let reason): reason.description(in: jurisdiction)
        case .sync(let reason): reason.description
        }
    }

    /// Eligibility reasons first (in their own order), then sync reasons, so reports list them alike.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.eligibility(let a), .eligibility(let b)): a < b
        case (.eligibility, .sync): true
        case (.sync, .eligibility): false
        case (.sync(let a), .sync(let b)):
            SyncReason.allCases.firstIndex(of: a)! < SyncReason.allCases.firstIndex(of: b)!
        }
    }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        if let reason = ReasonCode(rawValue: code) {
            self = .eligibility(reason)
        } else if let reason = SyncReason(rawValue: code) {
            self = .sync(reason)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown reason code \(code)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
