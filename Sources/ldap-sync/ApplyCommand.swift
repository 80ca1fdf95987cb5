import ArgumentParser
import Foundation
import Sync

/// `ldap-sync apply`: make the directory match the sources (or exactly a reviewed, saved plan).
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Change the directory to match the sources: revocations first, held changes listed.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "Apply exactly this saved plan (from `plan --save`); refused if the sources or directory changed.")
    var plan: String?

    @Flag(help: "Apply what the safety limits hold (never what an unreadable source holds).")
    var acceptLimits = false

    func run() async throws {
        try await runMapped {
            let started = Date()
            let configuration = try ConfigLoader.load(path: config)
            let saved = try plan.map { (plan: try SavedPlan.read(from: $0), path: $0) }
            // Moodle's settings and token file are refused before the directory is touched (exit 2).
            _ = try MoodleSync.configured(configuration)
            let lock = try RunLock.acquire(stateDirectory: configuration.stateDir)
            defer { withExtendedLifetime(lock) {} }
            let connection = try await DirectorySession.open(configuration)
            let outcome = try await SyncRun(config: configuration, now: started, acceptLimits: acceptLimits).apply(connection, saved: saved)
            print(ApplySummary(outcome: outcome, duration: Date().timeIntervalSince(started)).text, terminator: "")
            for errors in outcome.sourceErrors { printError(errors) }
            return outcome.exitStatus
        }
    }
}
