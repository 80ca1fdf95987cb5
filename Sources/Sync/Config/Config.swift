import Roster

/// The configuration file of DESIGN.md Part B, read and checked. Every path is absolute, resolved
/// against the folder of the config file; every key not given has its documented default.
public struct Config: Sendable, Equatable {
    /// The config file itself, as given on the command line.
    public var file: String
    /// `directory`.
    public var directory: DirectoryConfig
    /// `sources`.
    public var sources: [SourceConfig]
    /// `policy`.
    public var policy: PolicyConfig
    /// `dedupe`.
    public var dedupe: DedupeConfig
    /// `accounts`.
    public var accounts: AccountsConfig
    /// `safety`.
    public var safety: SafetyConfig
    /// Lock file, last good run and audit log (`state_dir`, default `state`).
    public var stateDir: String
    /// Prometheus text-format metrics, when set.
    public var metricsFile: String?
    /// Run after a run with revocations, holds or failures, with the JSON summary on stdin.
    public var notifyCommand: String?
    /// Calls owed to the VLE, when set.
    public var vle: VLEConfig

    /// A config with every optional part at its default; paths are taken as given.
    public init(
        file: String, directory: DirectoryConfig, sources: [SourceConfig], policy: PolicyConfig = PolicyConfig(),
        dedupe: DedupeConfig = DedupeConfig(), accounts: AccountsConfig, safety: SafetyConfig = SafetyConfig(),
        stateDir: String, metricsFile: String? = nil, notifyCommand: String? = nil, vle: VLEConfig = VLEConfig()
    ) {
        self.file = file
        self.directory = directory
        self.sources = sources
        self.policy = policy
        self.dedupe = dedupe
        self.accounts = accounts
        self.safety = safety
        self.stateDir = stateDir
        self.metricsFile = metricsFile
        self.notifyCommand = notifyCommand
        self.vle = vle
    }
}

/// `directory:`: where and how to reach the LDAP server, and where parents live.
public struct DirectoryConfig: Sendable, Equatable {
    /// The LDAP URL: `ldap://`, `ldaps://` or `ldapi://`.
    public var url: String
    /// `start_tls`.
    public var startTLS: Bool = false
    /// `ca_file`.
    public var caFile: String?
    /// `bind_dn`.
    public var bindDN: String?
    /// A file holding the bind password (else `LDAP_SYNC_BIND_PASSWORD`, or systemd credentials).
    public var bindPasswordFile: String?
    /// `parents_base`.
    public var parentsBase: String
    /// `pupils_base`.
    public var pupilsBase: String?
    /// The pupil entry attribute holding the UPN.
    public var pupilMatchAttribute: String?
    /// The role group (a `groupOfNames`) whose members are the active parents.
    public var parentGroup: String?
    /// Where a new username must be unique; `nil` means the directory's naming context.
    public var usernameScope: String?
    /// `disable_method`.
    public var disableMethod: DisableMethod = .ppolicy
    /// False only when the config says so in words, for a test server.
    public var tlsVerify: Bool = true
    /// Plain `ldap://` to a host that is not loopback is refused unless true.
    public var allowInsecure: Bool = false
    /// `timeouts`.
    public var timeouts: Timeouts = Timeouts()
    /// Reconnect attempts inside one run, with backoff.
    public var retries: Int = 3
    /// `incremental_read`: keep a copy of the last read in `state_dir` and read from the server only the
    /// entries changed since (by their `entryCSN`: OpenLDAP). A server without `entryCSN` is read whole anyway.
    public var incrementalRead: Bool = true

    /// The required keys; the rest at their defaults.
    public init(url: String, parentsBase: String) {
        self.url = url
        self.parentsBase = parentsBase
    }

    /// How a disabled parent's bind is refused.
    public enum DisableMethod: String, Sendable, Equatable, CaseIterable {
        case ppolicy
        case nsaccountlock
        case ad
    }

    /// `timeouts:` in seconds.
    public struct Timeouts: Sendable, Equatable {
        /// `connect`.
        public var connect: Int = 10
        /// `operation`.
        public var operation: Int = 60
        /// `run`.
        public var run: Int = 3600

        public init(connect: Int = 10, operation: Int = 60, run: Int = 3600) {
            self.connect = connect
            self.operation = operation
            self.run = run
        }
    }
}

/// One entry of `sources:`: an MIS export and how to read it.
public struct SourceConfig: Sendable, Equatable {
    /// The values the key accepts.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case csv, ctf, oneroster, sds
    }

    /// `format`.
    public var format: Format
    /// The path resolved against the config's folder: a file, a folder, or a glob.
    public var path: String
    /// The path as the config wrote it, for messages.
    public var pathAsWritten: String
    /// The school's id when the files do not carry it.
    public var schoolID: String?
    /// CSV only: the preset's name (`canonical` when not given).
    public var preset: String = "canonical"
    /// CSV only: field → header, overriding the preset.
    public var columns: [CSVField: String] = [:]
    /// `school_name`.
    public var schoolName: String?
    /// Where this source's entry is in the config, for messages about it.
    public var location: ConfigLocation

    public init(format: Format, path: String, pathAsWritten: String? = nil, location: ConfigLocation) {
        self.format = format
        self.path = path
        self.pathAsWritten = pathAsWritten ?? path
        self.location = location
    }
}

/// `policy:`: who may hold an account, and for which children.
public struct PolicyConfig: Sendable, Equatable {
    /// The values the key accepts.
    public enum UnknownResponsibility: String, Sendable, Equatable, CaseIterable {
        case allow, deny, review
    }
    /// The values the key accepts.
    public enum LookedAfter: String, Sendable, Equatable, CaseIterable {
        case manual, auto
    }
    /// The values the key accepts.
    public enum Jurisdiction: String, Sendable, Equatable, CaseIterable {
        case england, wales, scotland
    }

    /// `require_parental_responsibility`.
    public var requireParentalResponsibility: Bool = true
    /// `unknown_parental_responsibility`.
    public var unknownParentalResponsibility: UnknownResponsibility = .deny
    /// Allow-list of normalised relationships; empty means any.
    public var relationships: [Relationship] = []
    /// 0 means no limit.
    public var maxPriority: Int = 0
    /// Relationships that count as "has care" without parental responsibility.
    public var careRelationships: [Relationship] = []
    /// `looked_after`.
    public var lookedAfter: LookedAfter = .manual
    /// `looked_after_approvals`.
    public var lookedAfterApprovals: String?
    /// `restrictions`.
    public var restrictions: String?
    /// `court_order_overrides`.
    public var courtOrderOverrides: String?
    /// For the reasons' wording only; `nil` reads as England.
    public var jurisdiction: Jurisdiction?
    /// Pupils this old or older: links need approval like looked-after ones.
    public var reviewAge: Int = 18

    /// Every key at its default.
    public init() {}
}

/// `dedupe:`.
public struct DedupeConfig: Sendable, Equatable {
    /// Merges and splits that IT forces.
    public var overrides: String?

    public init(overrides: String? = nil) {
        self.overrides = overrides
    }
}

/// `accounts:`: usernames, first passwords and letters.
public struct AccountsConfig: Sendable, Equatable {
    /// The values the key accepts.
    public enum Activation: String, Sendable, Equatable, CaseIterable {
        case onCreate = "on_create"
        case onHandover = "on_handover"
    }
    /// The values the key accepts.
    public enum PasswordHash: String, Sendable, Equatable, CaseIterable {
        case server, ssha
        case cryptSHA512 = "crypt-sha512"
    }

    /// `username`.
    public var username: String = "{given}.{family}"
    /// `max_length`.
    public var maxLength: Int = 20
    /// Resolved against the config's folder (default `credentials`).
    public var credentialsDir: String
    /// `change_at_first_login`.
    public var changeAtFirstLogin: Bool = true
    /// `activation`.
    public var activation: Activation = .onCreate
    /// `reissue_on_enable`.
    public var reissueOnEnable: Bool = true
    /// `letter_template`.
    public var letterTemplate: String?
    /// `login_url`.
    public var loginURL: String?
    /// `password_hash`.
    public var passwordHash: PasswordHash = .server
    /// `credentials_retention_days`.
    public var credentialsRetentionDays: Int = 30
    /// 0 means never delete.
    public var deleteAfterDays: Int = 0

    /// Every key at its default but the credentials folder, which must be absolute.
    public init(credentialsDir: String) {
        self.credentialsDir = credentialsDir
    }
}

/// `safety:`: how much a run may take away before it is held.
public struct SafetyConfig: Sendable, Equatable {
    /// A count, or a percentage of managed accounts (`"5%"`).
    public enum Limit: Sendable, Equatable {
        case count(Int)
        case percent(Double)
    }

    /// `max_disable`.
    public var maxDisable: Limit = .percent(5)
    /// `max_unlink`.
    public var maxUnlink: Limit = .percent(5)
    /// `.count(0)` means no deletes at all.
    public var maxDelete: Limit = .count(0)
    /// `min_source_ratio`.
    public var minSourceRatio: Double = 0.9
    /// Year groups whose pupils are expected to leave at the end of the school year, as written.
    public var leavingYearGroups: [String] = ["6", "11", "13"]

    /// Every key at its default.
    public init() {}
}

/// `vle:`: the VLE to tell at once.
public struct VLEConfig: Sendable, Equatable {
    /// `moodle`.
    public var moodle: MoodleConfig?

    public init(moodle: MoodleConfig? = nil) {
        self.moodle = moodle
    }
}

/// `vle.moodle:`: Moodle web services.
public struct MoodleConfig: Sendable, Equatable {
    /// The values the key accepts.
    public enum PupilMatch: String, Sendable, Equatable, CaseIterable {
        case idnumber, username
    }

    /// `url`.
    public var url: String
    /// `token_file`.
    public var tokenFile: String
    /// The numeric id of the parent role (context level User).
    public var parentRoleID: Int
    /// `pupil_match`.
    public var pupilMatch: PupilMatch = .idnumber
    /// `ca_file`.
    public var caFile: String?
    /// Plain http only to loopback, and only when true (tests).
    public var allowInsecure: Bool = false

    public init(url: String, tokenFile: String, parentRoleID: Int) {
        self.url = url
        self.tokenFile = tokenFile
        self.parentRoleID = parentRoleID
    }
}
