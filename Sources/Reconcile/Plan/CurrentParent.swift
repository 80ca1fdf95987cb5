/// One managed parent entry as read from the directory: an entry under `parents_base` that carries
/// `misParent`. Only the attributes the sync owns.
public struct CurrentParent: Sendable, Hashable {
    /// The entry's DN as read.
    public var dn: String
    /// Its username, which never changes.
    public var uid: String
    /// The id given at creation; nil on an entry that lost it (the planner restores it).
    public var misParentId: String?
    /// The source records of the person (`<school_id>/<contact_id>` or positional).
    public var misContactRef: Set<String>
    /// The pupils the parent may see (`<school_id>/<pupil_id>`).
    public var misChildRef: Set<String>
    /// DNs of the pupils' own entries.
    public var misChild: Set<String>
    /// The single-valued attributes of the person's details, nil when absent.
    public var cn: String?
    public var sn: String?
    public var givenName: String?
    public var displayName: String?
    public var mail: String?
    public var mobile: String?
    /// Whether `misRole: Parent` is present.
    public var hasParentRole: Bool
    /// nil when the entry has no `misAccountStatus`, or one the sync does not know.
    public var status: AccountStatus?
    /// `misStatusReason`: the reason codes of the change that set the status.
    public var statusReason: String?
    /// `misStatusSince` as stored (LDAP GeneralizedTime).
    public var statusSince: String?
    /// Whether the entry holds the disable lock (`pwdAccountLockedTime: 000001010000Z` for ppolicy).
    /// A temporary lockout after failed binds is not this lock, and the sync never touches it.
    public var isLocked: Bool

    public init(
        dn: String, uid: String, misParentId: String?, misContactRef: Set<String>,
        misChildRef: Set<String> = [], misChild: Set<String> = [], cn: String?, sn: String?,
        givenName: String?, displayName: String?, mail: String? = nil, mobile: String? = nil,
        hasParentRole: Bool = true, status: AccountStatus?, statusReason: String? = nil,
        statusSince: String? = nil, isLocked: Bool
    ) {
        self.dn = dn
        self.uid = uid
        self.misParentId = misParentId
        self.misContactRef = misContactRef
        self.misChildRef = misChildRef
        self.misChild = misChild
        self.cn = cn
        self.sn = sn
        self.givenName = givenName
        self.displayName = displayName
        self.mail = mail
        self.mobile = mobile
        self.hasParentRole = hasParentRole
        self.status = status
        self.statusReason = statusReason
        self.statusSince = statusSince
        self.isLocked = isLocked
    }

    /// The keys fallback matching compares with a person's (see `IdentityKeys`).
    var identityKeys: IdentityKeys {
        IdentityKeys(givenName: givenName, familyName: sn, emails: [mail], mobiles: [mobile])
    }

    /// The schools the entry has records or children at.
    var schools: Set<String> {
        Set(misContactRef.map(schoolOf) + misChildRef.map(schoolOf))
    }
}

/// `misAccountStatus`.
public enum AccountStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// May log in and is in the role group.
    case active
    /// Locked, no child links, out of the role group.
    case disabled
    /// New, credentials not handed over yet: locked like a disabled account, but with its child links,
    /// and not counted as a disable by the safety gates.
    case pending
}
