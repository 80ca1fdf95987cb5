import Directory
import Foundation
import Reconcile

/// `ldap-sync credentials reissue`: a new first password for one parent who lost theirs, with
/// change-at-login as configured, a credentials row and a letter. A disabled account is refused with
/// the reason (it cannot log in whatever its password).
public struct CredentialsReissue: Sendable {
    public var config: Config
    public var now: Date

    public init(config: Config, now: Date = Date()) {
        self.config = config
        self.now = now
    }

    /// Reissues `username`'s password; the result holds the credentials and letters files.
    public func run(_ connection: LDAPConnection, username: String) async throws -> ApplyResult {
        let template = try LetterTemplate(path: config.accounts.letterTemplate)
        try FirstPasswordWrites(config.accounts).check()
        try CredentialsRetention.sweep(directory: config.accounts.credentialsDir, days: config.accounts.credentialsRetentionDays, now: now)
        let entry = try await ParentLookup(parentsBase: config.directory.parentsBase).entry(username, on: connection)
        if let reason = CredentialsRefusal.reason(username, entry, parentsBase: config.directory.parentsBase) {
            throw CredentialsRefusal(reasons: [reason])
        }
        guard let entry else { throw CredentialsRefusal(reasons: ["\(username): not found"]) }

        let runID = SyncRun.runID(now)
        let audit = try AuditLog(stateDirectory: config.stateDir)
        try audit.append(AuditRecord(time: Timestamp.iso8601(now), run: runID, event: "run-start", message: "credentials reissue, config \(config.file)"))
        let applier = Applier(
            connection: connection, audit: audit, runID: runID, credentialsDirectory: config.accounts.credentialsDir,
            command: "reissue", startedAt: now, stateDirectory: config.stateDir, firstPasswords: FirstPasswordWrites(config.accounts))
        var result = ApplyResult()
        var writer: CredentialsWriter?
        try await applier.setPasswords(
            [PasswordTarget(row: Applier.credentialsRow(for: entry), keepLocked: Applier.isLocked(entry))], action: "reissue", message: "new first password asked for", into: &result, writer: &writer)
        if let file = result.credentialsFile {
            result.lettersFile = try LettersFile.write(
                result.credentials, besideCSV: file, template: template, names: ChildNames(SourceSet.read(config.sources)),
                loginURL: config.accounts.loginURL, date: now)
        }
        try audit.append(AuditRecord(
            time: Timestamp.iso8601(Date()), run: runID, event: "run-end", result: result.failures.isEmpty ? "exit 0" : "exit 1",
            message: "\(result.credentials.count) reissued, \(result.failures.count) failed"))
        try audit.synchronize()
        return result
    }
}
