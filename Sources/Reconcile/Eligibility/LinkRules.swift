import Roster

/// One row of a policy file the school keeps (DESIGN.md Part B, "Policy files"): a restriction, a
/// reviewed court-order override or a looked-after approval, for one pupil (or every pupil, `*`, for
/// restrictions) and one person, named by username or by contact record.
public struct LinkRule: Sendable, Hashable, Codable {
    /// How the file names the person.
    public enum Person: Sendable, Hashable, Codable, CustomStringConvertible {
        /// `parent`: the account's username (`uid`).
        case username(String)
        /// `contact`: `<school_id>/<contact_id>`.
        case contact(ContactReference)

        public var description: String {
            switch self {
            case .username(let name): "parent \(name)"
            case .contact(let reference): "contact \(reference)"
            }
        }
    }

    /// The pupil; nil for `*` (every pupil of the person).
    public var pupil: PupilReference?
    public var person: Person
    /// The day the rule stops applying (it applies up to the day before); nil for no end.
    public var endsOn: CalendarDate?
    /// `file:line`, so reports and errors can say which row decided.
    public var origin: String

    public init(pupil: PupilReference?, person: Person, endsOn: CalendarDate? = nil, origin: String = "") {
        self.pupil = pupil
        self.person = person
        self.endsOn = endsOn
        self.origin = origin
    }

    /// Whether the rule still applies on `date`: up to the day before `ends_on`.
    public func isActive(on date: CalendarDate) -> Bool {
        guard let endsOn else { return true }
        return date < endsOn
    }
}

/// A set of rules indexed by the person they name, so that each link costs one or two dictionary
/// look-ups however long the school's files grow.
public struct LinkRules: Sendable, Hashable {
    public private(set) var rules: [LinkRule]
    private var byContact: [ContactReference: [Int]] = [:]
    private var byUsername: [String: [Int]] = [:]

    public init(_ rules: [LinkRule] = []) {
        self.rules = rules
        for (index, rule) in rules.enumerated() {
            switch rule.person {
            case .username(let name): byUsername[name.lowercased(), default: []].append(index)
            case .contact(let reference): byContact[reference, default: []].append(index)
            }
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Whether any rule names its person by username, which only the directory can turn into records.
    public var namesAnyUsername: Bool { !byUsername.isEmpty }

    /// The rules in force on `date` (those past their `ends_on` dropped).
    public func active(on date: CalendarDate) -> LinkRules {
        LinkRules(rules.filter { $0.isActive(on: date) })
    }

    /// The first rule naming `pupil` (or `*`) and one of the person's records or usernames.
    public func rule(for pupil: PupilReference, person: PersonKeys) -> LinkRule? {
        guard !rules.isEmpty else { return nil }
        var best: Int?
        func consider(_ indices: [Int]?) {
            for index in indices ?? [] where rules[index].pupil == nil || rules[index].pupil == pupil {
                best = min(best ?? index, index)
            }
        }
        for record in person.records { consider(byContact[record]) }
        for name in person.usernames { consider(byUsername[name]) }
        return best.map { rules[$0] }
    }
}

/// What policy files may name a person by: every record identity resolution joined into them and the
/// usernames of the directory entries those records belong to (lower case).
public struct PersonKeys: Sendable, Hashable {
    public var records: [ContactReference]
    public var usernames: [String]

    public init(records: [ContactReference], usernames: [String] = []) {
        self.records = records
        self.usernames = usernames.map { $0.lowercased() }
    }
}

/// The school's own decisions about single links, from the files `policy.restrictions`,
/// `policy.court_order_overrides` and `policy.looked_after_approvals`.
public struct SafeguardingRules: Sendable, Hashable {
    /// Links the school forbids, whatever the MIS says (reason `restricted`).
    public var restrictions: LinkRules
    /// Reviewed court orders that grant rights: the link is kept despite a court-order flag (`override`).
    public var courtOrderOverrides: LinkRules
    /// Links to looked-after pupils, or pupils at `review_age`, that the school approved (`approved`).
    public var approvals: LinkRules

    public init(restrictions: LinkRules = LinkRules(), courtOrderOverrides: LinkRules = LinkRules(), approvals: LinkRules = LinkRules()) {
        self.restrictions = restrictions
        self.courtOrderOverrides = courtOrderOverrides
        self.approvals = approvals
    }

    /// No rule in any file.
    public var isEmpty: Bool { restrictions.isEmpty && courtOrderOverrides.isEmpty && approvals.isEmpty }

    /// Whether a rule in any file names its person by username: then resolution needs the directory's
    /// usernames of each record, and cannot start before the directory has been read.
    public var namesAnyUsername: Bool {
        restrictions.namesAnyUsername || courtOrderOverrides.namesAnyUsername || approvals.namesAnyUsername
    }

    /// The rules in force on `date`.
    public func active(on date: CalendarDate) -> SafeguardingRules {
        SafeguardingRules(
            restrictions: restrictions.active(on: date), courtOrderOverrides: courtOrderOverrides.active(on: date),
            approvals: approvals.active(on: date))
    }
}
