import ArgumentParser
import Foundation
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
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            let lock = try RunLock.acquire(stateDirectory: configuration.stateDir)
            defer { withExtendedLifetime(lock) {} }
            if let warning = lock.staleWarning { printError("ldap-sync: warning: \(warning)") }
            let connection = try await DirectorySession.open(configuration)
            let run = SyncRun(config: configuration)
            let prepared = try await run.prepare(connection)
            let report = PlanReport(plan: prepared.plan, title: config, generatedAt: run.now)
            try writeOutput(try report.rendered(as: format), to: output)
            if let save {
                try SavedPlan(
                    createdAt: run.now, config: configuration.file, sourcesFingerprint: prepared.sourcesFingerprint,
                    directoryFingerprint: prepared.directoryFingerprint, plan: prepared.plan
                ).write(to: save)
            }
            for errors in prepared.sources.errors { printError(errors.description) }
            // A plan reports what it finds; only a source it could not read makes it fail (exit 2).
            return prepared.sources.errors.isEmpty ? .success : .inputError
        }
    }
}

extension PlanReport.Format: ExpressibleByArgument {}
