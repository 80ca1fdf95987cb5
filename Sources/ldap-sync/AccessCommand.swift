import ArgumentParser
import Foundation
import Sync

/// `ldap-sync access`: who can see this child, or which children this parent sees — from the directory
/// as it stands beside what the sources say, or with `--at` from the audit log on a past day.
struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Who can see a child, or which children a parent sees: the directory beside the sources.",
        discussion: """
            Reads the directory and the sources, writes nothing. A link the directory holds but the sources \
            no longer justify is flagged NOT JUSTIFIED. With --at YYYY-MM-DD the answer comes from the audit \
            log alone: every parent–child pair visible at any moment of that day (UTC).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "The pupil: <school_id>/<pupil_id>, or a pupil id or UPN that names one pupil (with --at: <school_id>/<pupil_id> only).")
    var pupil: String?

    @Option(help: "The parent's username.")
    var parent: String?

    @Option(help: "A past day (YYYY-MM-DD, UTC): answer from the audit log.")
    var at: String?

    @Option(help: "text or json.")
    var format: AccessFormat = .text

    enum AccessFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard (pupil == nil) != (parent == nil) else {
            throw ValidationError("give exactly one of --pupil REF and --parent NAME")
        }
    }

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            if let at {
                let records = try AuditLog.read(stateDirectory: configuration.stateDir)
                let subject: AccessHistory.Subject = pupil.map { .pupil($0) } ?? .parent(parent ?? "")
                let history = try AccessHistory.replay(records, subject: subject, day: at)
                try writeOutput(format == .json ? try history.json() : history.text, to: nil)
                return .success
            }
            let connection = try await DirectorySession.open(configuration)
            let prepared = try await SyncRun(config: configuration).prepare(connection)
            let moodle = try await MoodleAccess.side(pupil: pupil, parent: parent, prepared: prepared, connection: connection, config: configuration)
            await connection.close()
            let report = if let pupil {
                try AccessReport.pupil(pupil, prepared: prepared, config: configuration)
            } else {
                try AccessReport.parent(parent ?? "", prepared: prepared, config: configuration)
            }
            let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            if format == .json {
                try writeOutput(try moodle.map { try $0.merged(into: try report.json()) } ?? report.json(), to: nil)
            } else {
                try writeOutput(report.text(color: color) + (moodle.map { "\n" + $0.text } ?? ""), to: nil)
            }
            for errors in prepared.sources.errors { printError(errors.description) }
            return prepared.sources.errors.isEmpty ? .success : .inputError
        }
    }
}
