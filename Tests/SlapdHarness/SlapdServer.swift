import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real OpenLDAP slapd for one test, a child process of the test run, on free loopback ports.
///
/// It has mdb, the core, cosine, inetorgperson and nis schemas plus ldap-sync's own, the ppolicy
/// overlay with a default policy that honours locks, an admin (the rootdn, without size or time
/// limits) and a sync service DN with only the rights the sync needs. Start it with `start(_:)` and
/// always `stop()` it, or use `withSlapd(_:_:)`, which does both.
public final class SlapdServer: Sendable {
    /// `ldap://127.0.0.1:PORT`; StartTLS works here when the server has TLS.
    public let ldapURL: String
    /// `ldaps://127.0.0.1:PORT` when started with `tls`. The server certificate names 127.0.0.1,
    /// localhost and this host; the URL uses the address because libldap replaces the name
    /// "localhost" with the machine's host name before checking a certificate.
    public let ldapsURL: String?
    /// `ldapi://` on a socket in `directory`.
    public let ldapiURL: String
    /// The TCP port of `ldapURL`.
    public let ldapPort: Int
    /// The TCP port of `ldapsURL`.
    public let ldapsPort: Int?
    /// The naming context, `dc=example,dc=org`.
    public let suffix: String
    /// The rootdn, with `limits size=unlimited time=unlimited`.
    public let adminDN: String
    /// The rootdn's password (`rootpw`).
    public let adminPassword: String
    /// `cn=ldap-sync,ou=Services,dc=example,dc=org`: manage under `parentsBase` (ppolicy attributes
    /// and passwords included), write under `groupsBase`, read elsewhere, unlimited paged searches.
    public let syncDN: String
    /// The sync DN's password, stored hashed (ppolicy_hash_cleartext).
    public let syncPassword: String
    /// `ou=Parents,dc=example,dc=org`, empty at start.
    public let parentsBase: String
    /// `ou=Pupils,dc=example,dc=org`, empty at start unless `extraLDIF` filled it.
    public let pupilsBase: String
    /// `ou=Groups,dc=example,dc=org`, empty at start.
    public let groupsBase: String
    /// The PEM of the CA that signed the server certificate (`tls` only).
    public let caFile: String?
    /// The PEM of a CA that did not sign it, for tests that a connection refuses it (`tls` only).
    public let untrustedCAFile: String?
    /// The temporary folder holding the configuration, the database, the socket and the log.
    public let directory: String
    /// slapd's log (stderr, at `-d stats` unless `logOperations` was off).
    public let logFile: String
    /// slapd's pid while it runs (a new one after `restart()`).
    public var processID: Int32 { process.processID }

    /// The slapd of now: `restart()` replaces it with another on the same ports and data.
    private let current: Locked<SlapdProcess>
    private var process: SlapdProcess { current.withLock { $0 } }
    /// How `restart()` launches slapd again: the same arguments, log and watched process.
    private let relaunch: @Sendable () throws -> SlapdProcess
    private let passwordFile: URL
    private let stopState = StopState()

    private init(
        layout: ServerLayout, process: SlapdProcess, certificates: TestCertificates?,
        relaunch: @escaping @Sendable () throws -> SlapdProcess
    ) {
        ldapPort = layout.ldapPort
        ldapsPort = layout.ldapsPort
        ldapURL = "ldap://127.0.0.1:\(layout.ldapPort)"
        ldapsURL = layout.ldapsPort.map { "ldaps://127.0.0.1:\($0)" }
        ldapiURL = layout.ldapiURL
        suffix = DirectoryNames.suffix
        adminDN = DirectoryNames.adminDN
        adminPassword = DirectoryNames.adminPassword
        syncDN = DirectoryNames.syncDN
        syncPassword = DirectoryNames.syncPassword
        parentsBase = DirectoryNames.parentsBase
        pupilsBase = DirectoryNames.pupilsBase
        groupsBase = DirectoryNames.groupsBase
        caFile = certificates?.caFile.path
        untrustedCAFile = certificates?.untrustedCAFile.path
        directory = layout.folder.path
        logFile = layout.logFile.path
        current = Locked(process)
        self.relaunch = relaunch
        passwordFile = layout.passwordFile
    }

    deinit {
        // A server dropped without stop(): do not leave it running (nobody waits for it here).
        process.signal(SIGINT)
    }

    /// Starts a server and waits until it answers, with the base tree and `extraLDIF` added.
    /// A port taken between choosing and binding it is retried with new ports.
    public static func start(_ options: SlapdOptions = .init()) async throws -> SlapdServer {
        try await start(options, ports: FreePort.loopback(count:))
    }

    /// `start(_:)` with the ports taken from `ports` (asked for how many), so a test can hand it a
    /// busy one first.
    static func start(_ options: SlapdOptions, ports: (Int) throws -> [Int]) async throws -> SlapdServer {
        var attempt = 1
        while true {
            do {
                return try await launch(options, ports: try ports(options.tls ? 2 : 1))
            } catch LaunchFailure.portInUse(let error) {
                attempt += 1
                if attempt > 5 { throw error }
            }
        }
    }

    /// Stops slapd (SIGINT, then waits for it to exit) and removes `directory`. Safe to call twice.
    public func stop() async {
        await stop(keepingFiles: false)
    }

    /// Stops slapd; with `keepingFiles` the folder and its log stay for a person to read.
    public func stop(keepingFiles: Bool) async {
        let first = stopState.claim()
        process.signal(SIGINT)
        if !(await process.waitForExit(seconds: 60)) {
            process.signal(SIGKILL)
            _ = await process.waitForExit(seconds: 10)
        }
        guard first else { return }
        // The watchdog sees slapd gone within its half-second poll; wait for it so that nothing
        // this server started is left when stop() returns.
        if let watchdog = process.watchdogProcessID {
            let deadline = Date().addingTimeInterval(5)
            while processExists(watchdog), Date() < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        if !keepingFiles {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The current slapd process, for the fault methods beside this file.
    var processForFaults: SlapdProcess { process }

    /// Launches slapd anew with the first start's arguments (after a halt).
    func replaceProcess() throws {
        let fresh = try relaunch()
        current.withLock { $0 = fresh }
    }

    /// Whether slapd is still running.
    public var isRunning: Bool { process.isRunning }

    /// Adds entries as the admin over ldapi (`ldapadd`), for seeding a test.
    /// - Throws: `SlapdHarnessError.toolFailed` with ldapadd's stderr, which names the entry at fault.
    public func add(ldif: String) throws {
        let file = URL(fileURLWithPath: directory).appendingPathComponent("add-\(UUID().uuidString).ldif")
        try Data(ldif.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try Tool.check(Tool.ldapadd, adminArguments + ["-f", file.path])
    }

    /// Applies LDIF change records (`changetype: modify`, `add`, `delete`) as the admin over ldapi with
    /// `ldapmodify`, as IT applies a reviewed file.
    public func modify(ldif: String) throws {
        let file = URL(fileURLWithPath: directory).appendingPathComponent("modify-\(UUID().uuidString).ldif")
        try Data(ldif.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try Tool.check(Tool.ldapmodify, adminArguments + ["-f", file.path])
    }

    /// Searches the subtree under `base` as the admin over ldapi and returns `ldapsearch -LLL`
    /// output with lines unwrapped.
    public func search(base: String, filter: String, attributes: [String] = []) throws -> String {
        try Tool.check(
            Tool.ldapsearch,
            adminArguments + ["-LLL", "-o", "ldif-wrap=no", "-b", base, filter] + attributes)
    }

    /// The admin's bind over ldapi; the password travels in a file, never on a command line.
    private var adminArguments: [String] {
        ["-x", "-H", ldapiURL, "-D", adminDN, "-y", passwordFile.path]
    }

    /// The last `lines` lines of slapd's log.
    public func logTail(lines: Int = 40) -> String {
        ServerLayout.tail(of: URL(fileURLWithPath: logFile), lines: lines)
    }
}

extension SlapdServer {
    private enum LaunchFailure: Error {
        /// slapd could not bind a port that was free a moment before: try again with others.
        case portInUse(SlapdHarnessError)
    }

    private static func launch(_ options: SlapdOptions, ports: [Int]) async throws -> SlapdServer {
        let layout = try ServerLayout.make(ports: ports)
        let relaunch: @Sendable () throws -> SlapdProcess = {
            try SlapdProcess(
                arguments: ["-f", layout.configFile.path, "-h", layout.listenURLs,
                            "-d", options.logOperations ? "stats" : "conns"],
                logFile: layout.logFile, watchdogPIDFile: layout.folder.appendingPathComponent("watchdog.pid"),
                watchedProcessID: options.watchedProcessID ?? getpid())
        }
        let process: SlapdProcess
        let certificates: TestCertificates?
        do {
            certificates = options.tls ? try TestCertificates.make(in: layout.folder) : nil
            let configuration = SlapdConfiguration(
                folder: layout.folder, schemaFile: try schemaFile(), fsync: options.fsync,
                certificates: certificates, accessRules: options.accessRules, databaseDirectives: options.databaseDirectives)
            try FileManager.default.createDirectory(
                at: configuration.databaseFolder, withIntermediateDirectories: true)
            try Data(configuration.text.utf8).write(to: layout.configFile)
            try layout.writePasswordFile(DirectoryNames.adminPassword)
            process = try relaunch()
        } catch {
            // Nothing ran yet, so there is no log worth keeping.
            try? FileManager.default.removeItem(at: layout.folder)
            throw error
        }
        let server = SlapdServer(layout: layout, process: process, certificates: certificates, relaunch: relaunch)
        do {
            try await server.waitUntilReady(seconds: 30)
            try server.add(ldif: BaseEntries.ldif)
            if !options.extraLDIF.isEmpty { try server.add(ldif: options.extraLDIF) }
            return server
        } catch {
            // The log is what explains a slapd that died or hung, so its folder stays; a failed
            // ldapadd says all there is to say in the error itself.
            let slapdFailed: Bool
            switch error {
            case SlapdHarnessError.slapdExited, SlapdHarnessError.slapdNotReady: slapdFailed = true
            default: slapdFailed = false
            }
            await server.stop(keepingFiles: slapdFailed)
            if let failure = error as? SlapdHarnessError, case .slapdExited(_, _, let tail) = failure,
               tail.contains("errno=98") || tail.contains("Address already in use") {
                try? FileManager.default.removeItem(at: layout.folder)
                throw LaunchFailure.portInUse(failure)
            }
            throw error
        }
    }

    private static func schemaFile() throws -> URL {
        let file = RepositoryFiles.schemaFile
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            throw SlapdHarnessError.schemaMissing(path: file.path)
        }
        return file
    }

    /// Polls an anonymous `ldapwhoami` over ldapi: slapd opens every listener before it answers on
    /// any, so once ldapi answers, the TCP ports do too.
    func waitUntilReady(seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            guard process.isRunning else {
                throw SlapdHarnessError.slapdExited(
                    status: process.terminationStatus, logFile: logFile, logTail: logTail())
            }
            if try Tool.run(Tool.ldapwhoami, ["-x", "-H", ldapiURL]).status == 0 { return }
            guard Date() < deadline else {
                throw SlapdHarnessError.slapdNotReady(seconds: seconds, logFile: logFile, logTail: logTail())
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Which of several concurrent `stop()` calls came first (it alone cleans up).
private final class StopState: Sendable {
    private let claimed = Locked(false)

    func claim() -> Bool {
        claimed.withLock { wasClaimed in
            defer { wasClaimed = true }
            return !wasClaimed
        }
    }
}
