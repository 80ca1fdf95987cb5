import ArgumentParser
import Foundation
import Logging
import Sync

/// `ldap-sync plan`: what a run would do, written nowhere but to the report. Never writes to the directory.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change in the directory, and why, without changing anything.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "text, json, csv, html or ldif.")
    var format: PlanReport.Format = .text

    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(help: "Also save the plan here, for `apply --plan` after review.")
    var save: String?

    func run() async throws {
        global.startLogging()
        let started = Date()
        let logger = Logger.run(SyncRun.runID(started))
        var summary = RunSummary(command: "plan", runID: SyncRun.runID(started), startedAt: started)
        summary.configFile = config
        defer {
            summary.duration = Date().timeIntervalSince(started)
            RunEnd.finish(summary, config: nil, logger: logger)
        }
        try await runMapped {
            do {
                let configuration = try ConfigLoader.load(path: config)
                let moodle = try MoodleSync.configured(configuration)
                let lock = try RunLock.acquire(stateDirectory: configuration.stateDir)
                defer { withExtendedLifetime(lock) {} }
                if let warning = lock.staleWarning { logger.warning("\(warning)") }
                let connection = try await DirectorySession.open(configuration)
                var run = SyncRun(config: configuration, now: started)
                run.progress = global.progress
                let prepared = try await run.prepare(connection)
                let section = try await moodle?.planned(prepared, connection: connection, directory: configuration)
                let report = PlanReport(
                    plan: prepared.plan, title: config, generatedAt: run.now, jurisdiction: configuration.reasonJurisdiction,
                    moodle: section)
                try writeOutput(try report.rendered(as: format), to: output)
                if let save {
                    try SavedPlan(
                        createdAt: run.now, config: configuration.file, sourcesFingerprint: prepared.sourcesFingerprint,
                        directoryFingerprint: prepared.directoryFingerprint, plan: prepared.plan
                    ).write(to: save)
                }
                // A plan reports what it finds; only a source it could not read makes it fail (exit 2).
                let status: ExitStatus = prepared.sources.errors.isEmpty ? .success : .inputError
                summary = RunSummary(
                    plan: prepared, runID: run.runID, startedAt: started, duration: Date().timeIntervalSince(started),
                    exitCode: status.rawValue, configFile: config)
                return status
            } catch {
                summary.exitCode = exitStatus(of: error).rawValue
                summary.error = "\(error)"
                throw error
            }
        }
    }
}

extension PlanReport.Format: ExpressibleByArgument {}
