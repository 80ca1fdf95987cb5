import Directory
import Reconcile
import Roster

/// "Who can see this child?" or "which children does this parent see?": the directory as it stands
/// (links, account status, the lock, role group membership) beside what the sources say about each link
/// and eligibility's decision, so a link the sources no longer justify stands out.
public struct AccessReport: Sendable {
    /// The pupil asked about, as the sources and the directory know them.
    public struct PupilSummary: Sendable, Equatable {
        /// `<school_id>/<pupil_id>`.
        public var reference: String
        /// From the sources; nil when no readable source lists the pupil.
        public var name: String?
        public var yearGroup: String?
        public var inSources: Bool
    }

    /// The parent asked about, as the directory holds them.
    public struct ParentSummary: Sendable, Equatable {
        public var username: String
        public var dn: String?
        public var name: String
        public var account: AccountView?
    }

    /// The subject of the report.
    public enum Subject: Sendable, Equatable {
        case pupil(PupilSummary)
        case parent(ParentSummary)
    }

    public var subject: Subject
    /// One row per parent–child pair that the directory links or the sources list.
    public var rows: [AccessRow]
    /// `policy.jurisdiction`, for the words of the reasons.
    public var jurisdiction: Jurisdiction

    /// Pairs the directory links but the sources do not justify.
    public var unjustified: [AccessRow] { rows.filter { $0.verdict == .notJustified } }
}

/// A parent account as the directory holds it now.
public struct AccountView: Sendable, Equatable {
    public var dn: String
    public var username: String
    /// `misAccountStatus` as stored (`active`, `disabled`, `pending`), nil when missing.
    public var status: String?
    /// Whether the disable lock is on (the bind is refused).
    public var locked: Bool
    /// nil when no role group is configured.
    public var inRoleGroup: Bool?

    /// Whether the account can log in: active and not locked.
    public var canLogIn: Bool { status?.lowercased() == AccountStatus.active.rawValue && !locked }
}

/// What one source record says about one pupil–contact link.
public struct SourceFacts: Sendable, Equatable {
    /// `<school_id>/<contact_id>` (or positional).
    public var contact: String
    /// The normalised relationship.
    public var relationship: String
    /// As the MIS wrote it.
    public var relationshipAsWritten: String?
    public var parentalResponsibility: TriState
    public var courtOrder: TriState
    public var accessWithdrawn: TriState
    public var priority: Int?
    /// `file:line` of the record.
    public var origin: String
}

/// One parent–child pair: the directory's side, the sources' side and whether they agree.
public struct AccessRow: Sendable, Equatable {
    /// How the directory and the sources compare for this pair.
    public enum Verdict: String, Sendable, Equatable {
        /// Linked, and the sources grant it.
        case justified
        /// Linked, but the sources no longer grant it (or no longer list the contact).
        case notJustified = "not-justified"
        /// The sources grant it but the directory has no link yet: the next apply links it.
        case notLinkedYet = "not-linked-yet"
        /// Not linked, and the sources do not grant it.
        case noLink = "no-link"
    }

    /// `<school_id>/<pupil_id>`.
    public var pupil: String
    public var pupilName: String?
    /// The person's name (from the sources, else the entry's).
    public var parentName: String
    /// The account, when the person has one.
    public var account: AccountView?
    /// Whether the account's `misChildRef` holds this pupil.
    public var linked: Bool
    /// Every source record of the person for this pupil (empty when the sources do not list the pair).
    public var records: [SourceFacts]
    /// Eligibility's decision for the pair; nil when the sources do not list it.
    public var eligible: Bool?
    /// Grounds when eligible, refusals when not.
    public var reasons: [ReasonCode]
    public var verdict: Verdict

    /// Whether the parent sees the child now: linked on an account that can log in.
    public var canSeeNow: Bool { linked && account?.canLogIn == true }
}

extension AccessReport {
    /// A pupil's report. `reference` is `<school_id>/<pupil_id>`, or a pupil id or UPN that names one pupil
    /// of the sources.
    public static func pupil(_ reference: String, prepared: PreparedRun, config: Config) throws(AccessError) -> AccessReport {
        let index = AccessIndex(prepared: prepared, parentGroup: config.directory.parentGroup)
        let pupil = try index.resolvePupil(reference)
        var rows: [AccessRow] = []
        var seenDNs = Set<String>()
        for person in index.persons(linkedTo: pupil) {
            let account = index.account(of: person)
            if let account { seenDNs.insert(DistinguishedName.comparisonKey(of: account.dn)) }
            rows.append(index.row(pupil: pupil, person: person, account: account))
        }
        for entry in index.entries(linking: pupil) where !seenDNs.contains(DistinguishedName.comparisonKey(of: entry.dn)) {
            rows.append(index.row(pupil: pupil, person: nil, account: index.accountView(entry), entryName: index.name(of: entry)))
        }
        rows.sort { ($0.verdict.order, $0.account?.username ?? "~", $0.parentName) < ($1.verdict.order, $1.account?.username ?? "~", $1.parentName) }
        let summary = PupilSummary(
            reference: pupil, name: index.pupilName(pupil), yearGroup: index.pupils[pupil]?.yearGroup, inSources: index.pupils[pupil] != nil)
        return AccessReport(subject: .pupil(summary), rows: rows, jurisdiction: EligibilityPolicy(config.policy).jurisdiction)
    }

    /// A parent's report, by username.
    public static func parent(_ username: String, prepared: PreparedRun, config: Config) throws(AccessError) -> AccessReport {
        let index = AccessIndex(prepared: prepared, parentGroup: config.directory.parentGroup)
        let entry = index.entriesByUID[username.lowercased()]
        let person = index.person(username: username)
        guard entry != nil || person != nil else { throw .unknownParent(username) }
        let account = entry.map(index.accountView)
        var pupils = Set(entry?.strings(ParentAttribute.misChildRef) ?? [])
        for link in person?.links ?? [] { pupils.insert(link.pupil.description) }
        let rows = pupils.sorted().map { pupil in
            index.row(pupil: pupil, person: person, account: account, entryName: entry.map(index.name(of:)))
        }
        let name = person?.displayName ?? entry.map(index.name(of:)) ?? username
        let summary = ParentSummary(username: account?.username ?? username, dn: account?.dn, name: name, account: account)
        return AccessReport(subject: .parent(summary), rows: rows, jurisdiction: EligibilityPolicy(config.policy).jurisdiction)
    }
}

extension AccessRow.Verdict {
    /// Problems first: what the reader must act on leads.
    var order: Int {
        switch self {
        case .notJustified: 0
        case .justified: 1
        case .notLinkedYet: 2
        case .noLink: 3
        }
    }
}

/// A pupil or parent `access` cannot find.
public enum AccessError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    case unknownPupil(String)
    case ambiguousPupil(String, candidates: [String])
    case unknownParent(String)
    case badDate(String)

    public var exitStatus: ExitStatus { .inputError }

    public var description: String {
        switch self {
        case .unknownPupil(let reference):
            "no source lists pupil \(reference) and no parent entry links it: give <school_id>/<pupil_id>, a pupil id or a UPN"
        case .ambiguousPupil(let reference, let candidates):
            "pupil \(reference) names several pupils (\(candidates.joined(separator: ", "))): give <school_id>/<pupil_id>"
        case .unknownParent(let username):
            "no parent entry has uid \(username) and no person in the sources was given that username"
        case .badDate(let text):
            "--at \(text) is not a date: give YYYY-MM-DD (a day in UTC)"
        }
    }
}
