/// How to start a test slapd. The defaults suit a unit test: no TLS, no fsync, the base tree only.
public struct SlapdOptions: Sendable {
    /// Make a CA and a server certificate with `openssl`, and listen on `ldaps://` as well;
    /// StartTLS then works on the `ldap://` port too.
    public var tls: Bool = false
    /// Flush every write to disk like a production server. Off by default (`dbnosync`): back-mdb
    /// fsyncs each commit, which makes tests slow and measures the disk rather than the code.
    public var fsync: Bool = false
    /// Entries to add as the admin after the base tree (for example pupils under `pupilsBase`).
    public var extraLDIF: String = ""
    /// Log every operation (`-d stats`), which is what to read when a test fails. Off logs only
    /// errors and connections (`-d conns`): for benchmarks, where a log line an operation costs time.
    public var logOperations: Bool = true
    /// The process whose end stops slapd even if `stop()` is never called (a crashed test run).
    /// `nil` is this process; the harness's own tests set it to prove the watchdog works.
    public var watchedProcessID: Int32? = nil
    /// slapd.conf `access` directives to use instead of the harness's own (which give the sync its rights
    /// and everyone else their own entry): for tests of a documented rule set, such as schema/README.md's,
    /// or of an over-broad one. They must still let the sync manage `ou=Parents` for a run to work.
    public var accessRules: String? = nil

    /// More slapd.conf directives for the database (`lastmod off`, say).
    public var databaseDirectives: String = ""

    /// The harness's own access rules (what `accessRules` replaces), to build a variant on.
    public static var harnessAccessRules: String { SlapdConfiguration.harnessAccessRules }

    public init(
        tls: Bool = false, fsync: Bool = false, extraLDIF: String = "", logOperations: Bool = true,
        watchedProcessID: Int32? = nil, accessRules: String? = nil
    ) {
        self.accessRules = accessRules
        self.tls = tls
        self.fsync = fsync
        self.extraLDIF = extraLDIF
        self.logOperations = logOperations
        self.watchedProcessID = watchedProcessID
    }
}
