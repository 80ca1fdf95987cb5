import Directory
import Foundation
import SlapdHarness
@testable import Sync

// The one fixture builder of the sync tests: a school's canonical CSV export built from pupils and
// their contacts, and a site (a temporary folder with config.yaml, bind.secret and the exports) whose
// config points at a test slapd. A test says what the MIS holds; the builder writes the files.

/// A contact as one row of the canonical export sees it (one row per pupil–contact link).
struct ExportContact {
    var id: String
    var given: String
    var family: String
    var relationship = "Mother"
    var email: String?
    var mobile: String?
    /// `parental_responsibility`: "Y", "N", or "" (unknown).
    var parentalResponsibility = "Y"
    var courtOrder = false
    var accessWithdrawn = false

    init(
        _ id: String, _ given: String, _ family: String, relationship: String = "Mother", email: String? = nil,
        mobile: String? = nil, parentalResponsibility: String = "Y", courtOrder: Bool = false
    ) {
        self.id = id
        self.given = given
        self.family = family
        self.relationship = relationship
        self.email = email
        self.mobile = mobile
        self.parentalResponsibility = parentalResponsibility
        self.courtOrder = courtOrder
    }
}

/// A pupil of the export.
struct ExportPupil {
    var id: String
    var upn: String
    var given: String
    var family: String
    var year = 4
    /// `looked_after`.
    var lookedAfter = false
    /// `date_of_birth`.
    var dateOfBirth = "2016-09-14"
    /// `leaving_date` (ISO 8601), when the MIS gives one.
    var leavingDate: String?

    init(_ id: String, upn: String, _ given: String, _ family: String, year: Int = 4, leavingDate: String? = nil) {
        self.id = id
        self.upn = upn
        self.given = given
        self.family = family
        self.year = year
        self.leavingDate = leavingDate
    }
}

/// One school's export in the canonical CSV layout of DESIGN.md Part B.
struct CanonicalExport {
    static let columns = [
        "school_id", "pupil_id", "upn", "pupil_given_name", "pupil_family_name", "year_group", "reg_group",
        "contact_id", "title", "given_name", "family_name", "relationship", "priority", "parental_responsibility",
        "court_order", "lives_with_pupil", "email", "mobile", "home_phone", "work_phone", "address_line1",
        "address_line2", "address_line3", "town", "county", "postcode", "date_of_birth", "looked_after",
        "access_withdrawn", "leaving_date",
    ]

    var schoolID: String
    private(set) var rows: [(pupil: ExportPupil, contact: ExportContact)] = []

    init(school schoolID: String) {
        self.schoolID = schoolID
    }

    /// A pupil and its contacts, one row each.
    mutating func add(_ pupil: ExportPupil, _ contacts: ExportContact...) {
        for contact in contacts { rows.append((pupil, contact)) }
    }

    /// Changes the contact `id` on every row it appears in (with `pupil`, only on that pupil's row).
    mutating func change(contact id: String, pupil: String? = nil, _ edit: (inout ExportContact) -> Void) {
        for index in rows.indices where rows[index].contact.id == id && (pupil == nil || rows[index].pupil.id == pupil) {
            edit(&rows[index].contact)
        }
    }

    /// The pupil leaves: every row of it goes.
    mutating func remove(pupil id: String) {
        rows.removeAll { $0.pupil.id == id }
    }

    /// The first `count` rows only, as a truncated export would hold.
    func truncated(to count: Int) -> CanonicalExport {
        var copy = self
        copy.rows = Array(rows.prefix(count))
        return copy
    }

    /// The CSV text; `without` leaves columns out (a broken export).
    func csv(without missing: Set<String> = []) -> String {
        let columns = Self.columns.filter { !missing.contains($0) }
        var lines = [columns.joined(separator: ",")]
        for (priority, row) in rows.enumerated() {
            let (pupil, contact) = row
            let values: [String: String] = [
                "school_id": schoolID, "pupil_id": pupil.id, "upn": pupil.upn, "pupil_given_name": pupil.given,
                "pupil_family_name": pupil.family, "year_group": "\(pupil.year)", "contact_id": contact.id,
                "given_name": contact.given, "family_name": contact.family, "relationship": contact.relationship,
                "priority": "\(priority % 3 + 1)", "parental_responsibility": contact.parentalResponsibility,
                "court_order": contact.courtOrder ? "Y" : "N", "email": contact.email ?? "", "mobile": contact.mobile ?? "",
                "access_withdrawn": contact.accessWithdrawn ? "Y" : "N", "date_of_birth": pupil.dateOfBirth,
                "looked_after": pupil.lookedAfter ? "Y" : "N", "leaving_date": pupil.leavingDate ?? "",
            ]
            lines.append(columns.map { Self.quoted(values[$0] ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A pupil's own entry under `pupils_base`, found by `employeeNumber` = UPN.
func pupilEntriesLDIF(_ pupils: [ExportPupil], under base: String) -> String {
    pupils.map { pupil in
        """
        dn: uid=\(pupil.given.lowercased()).\(pupil.id.lowercased()),\(base)
        objectClass: inetOrgPerson
        uid: \(pupil.given.lowercased()).\(pupil.id.lowercased())
        cn: \(pupil.given) \(pupil.family)
        sn: \(pupil.family)
        employeeNumber: \(pupil.upn)

        """
    }.joined(separator: "\n")
}

/// A site for one test: config.yaml, bind.secret, exports/ and the state and credentials folders, in a
/// temporary folder, the config pointing at `server`.
struct SyncSite {
    struct Safety {
        var maxDisable = "5%"
        var maxUnlink = "5%"
        var minSourceRatio = 0.9

        /// Limits no test scenario reaches, for tests about something other than the gates.
        static let generous = Safety(maxDisable: "100", maxUnlink: "100", minSourceRatio: 0.1)
    }

    let folder: TemporaryDirectory
    let server: SlapdServer
    /// The export file names of the sources, in config order (`exports/<name>`).
    let sourceNames: [String]
    var configPath: String { folder.file("config.yaml") }

    var parentGroup: String { "cn=Parents,\(server.groupsBase)" }

    /// `accounts` are extra `accounts:` lines of the config (`password_hash: ssha`).
    init(server: SlapdServer, sources: [String] = ["school.csv"], safety: Safety = .generous, accounts: [String] = []) throws {
        folder = try TemporaryDirectory()
        self.server = server
        sourceNames = sources
        try FileManager.default.createDirectory(atPath: folder.file("exports"), withIntermediateDirectories: true)
        try Data("\(server.syncPassword)\n".utf8).write(to: URL(fileURLWithPath: folder.file("bind.secret")))
        // As IT keeps it: readable by its owner only (a wider mode gets a warning on every run).
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.file("bind.secret"))
        let sourceLines = sources.map { "  - format: csv\n    path: exports/\($0)\n    preset: canonical\n" }.joined()
        let yaml = """
            directory:
              url: \(server.ldapURL)
              bind_dn: \(server.syncDN)
              bind_password_file: bind.secret
              parents_base: \(server.parentsBase)
              pupils_base: \(server.pupilsBase)
              pupil_match_attribute: employeeNumber
              parent_group: \(parentGroup)
            sources:
            \(sourceLines)policy:
              require_parental_responsibility: true
              unknown_parental_responsibility: deny
            accounts:
              username: "{given}.{family}"
              max_length: 20
              credentials_dir: credentials
            \(accounts.map { "  \($0)\n" }.joined())safety:
              max_disable: "\(safety.maxDisable)"
              max_unlink: "\(safety.maxUnlink)"
              min_source_ratio: \(safety.minSourceRatio)
            state_dir: state

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    func remove() { folder.remove() }

    /// Rewrites the config: `transform` gets the YAML and returns the new text.
    func editConfig(_ transform: (String) -> String) throws {
        let yaml = try String(contentsOfFile: configPath, encoding: .utf8)
        try Data(transform(yaml).utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Adds lines (two-space indented `key: value`) to the config's `policy:` section.
    func addPolicy(_ lines: String...) throws {
        try editConfig { $0.replacingOccurrences(of: "policy:\n", with: "policy:\n" + lines.map { "  \($0)\n" }.joined()) }
    }

    /// Writes a file beside the config.
    func writeFile(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.file(name)))
    }

    /// Writes `export` as the source file `name` (the first source by default).
    func write(_ export: CanonicalExport, as name: String? = nil, without missing: Set<String> = []) throws {
        try writeSource(export.csv(without: missing), as: name)
    }

    func writeSource(_ text: String, as name: String? = nil) throws {
        let path = folder.file("exports/\(name ?? sourceNames[0])")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func removeSource(_ name: String) throws {
        try FileManager.default.removeItem(atPath: folder.file("exports/\(name)"))
    }

    func config() throws -> Config { try ConfigLoader.load(path: configPath) }

    /// `plan` through the library: reads everything, writes nothing.
    func prepare(acceptLimits: Bool = false) async throws -> PreparedRun {
        try await withRun(acceptLimits: acceptLimits) { run, connection in try await run.prepare(connection) }
    }

    /// `apply` through the library.
    @discardableResult
    func apply(acceptLimits: Bool = false) async throws -> ApplyOutcome {
        try await withRun(acceptLimits: acceptLimits) { run, connection in try await run.apply(connection) }
    }

    private func withRun<T: Sendable>(
        acceptLimits: Bool, _ body: (SyncRun, LDAPConnection) async throws -> T
    ) async throws -> T {
        let config = try config()
        let connection = try await DirectorySession.open(config)
        do {
            let result = try await body(SyncRun(config: config, acceptLimits: acceptLimits), connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// `ldap-sync credentials <subcommand> --config <this site's config> arguments…`.
    func credentials(_ subcommand: String, _ arguments: String...) throws -> CommandLineRun {
        try CommandLineRunner.run(["credentials", subcommand, "--config", configPath] + arguments)
    }

    /// The `ldap-sync` binary with `command` and `--config` this site's config, then `arguments`.
    func cli(_ command: String, _ arguments: String...) throws -> CommandLineRun {
        try CommandLineRunner.run([command, "--config", configPath] + arguments)
    }
}

/// Reads the directory as its admin sees it, to check what a run wrote.
struct DirectoryInspector {
    let server: SlapdServer

    func connect() async throws -> LDAPConnection {
        let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
        try await connection.bind(dn: server.adminDN, password: Secret(server.adminPassword))
        return connection
    }

    /// Every entry under `base` (scope `scope`) matching `filter`, with `attributes` (all user attributes
    /// by default); none when `base` does not exist.
    func entries(
        under base: String, scope: SearchRequest.Scope = .subtree, filter: String = "(objectClass=*)", attributes: [String] = []
    ) async throws -> [Entry] {
        let connection = try await connect()
        do {
            let entries = try await connection.searchAll(SearchRequest(base: base, scope: scope, rawFilter: filter, attributes: attributes, pageSize: 0))
            await connection.close()
            return entries
        } catch let error as LDAPError where error.code == .noSuchObject {
            await connection.close()
            return []
        }
    }

    /// The role group's members, lower-cased; nil when the group does not exist.
    func groupMembers(_ dn: String) async throws -> Set<String>? {
        try await entries(under: dn, scope: .base, attributes: ["member"]).first
            .map { Set($0.strings("member").map { $0.lowercased() }) }
    }

    /// A dump of the whole tree with operational attributes, for before/after comparisons.
    func dump() throws -> String {
        try server.search(base: server.suffix, filter: "(objectClass=*)", attributes: ["*", "+"])
    }

    /// The managed parents (with their lock), keyed by the contact id of each of their `misContactRef`s
    /// in `school`.
    func parentsByContact(_ school: String) async throws -> [String: Entry] {
        var byContact: [String: Entry] = [:]
        for entry in try await entries(under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["*", "pwdAccountLockedTime"]) {
            for reference in entry.strings("misContactRef") where reference.hasPrefix("\(school)/") {
                byContact[String(reference.dropFirst(school.count + 1))] = entry
            }
        }
        return byContact
    }

    /// The whole tree with operational attributes, one LDIF record per DN (as `ldapsearch` writes it;
    /// the tests' DNs are ASCII, so never base64).
    func dumpByDN() throws -> [String: String] {
        var records: [String: String] = [:]
        for record in try dump().components(separatedBy: "\n\n") where !record.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let trimmed = record.trimmingCharacters(in: .newlines)
            let firstLine = trimmed.prefix { $0 != "\n" }
            records[String(firstLine.dropFirst("dn: ".count))] = trimmed
        }
        return records
    }
}
