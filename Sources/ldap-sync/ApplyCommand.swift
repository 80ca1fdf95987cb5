import ArgumentParser
import Foundation
import Logging
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
        global.startLogging()
        let started = Date()
        let logger = Logger.run(SyncRun.runID(started))
        var runConfig: Config?
        // Whatever happens below, the run ends with its summary line, metrics and notification.
        var summary = RunSummary(command: "apply", runID: SyncRun.runID(started), startedAt: started)
        summary.configFile = config
        defer {
            summary.duration = Date().timeIntervalSince(started)
            RunEnd.finish(summary, config: runConfig, logger: logger)
        }
        try await runMapped {
            do {
                let loaded = try ConfigLoader.load(path: config)
                runConfig = loaded
                let saved = try plan.map { (plan: try SavedPlan.read(from: $0), path: $0) }
                // Moodle's settings and token file are refused before the directory is touched (exit 2).
                _ = try MoodleSync.configured(loaded)
                let lock = try RunLock.acquire(stateDirectory: loaded.stateDir)
                defer { withExtendedLifetime(lock) {} }
                if let warning = lock.staleWarning { logger.warning("\(warning)") }
                // From here a SIGTERM (systemd stopping the unit) or Ctrl-C ends the run after the writes in
                // flight, with the audit log written and the summary printed: exit 128 + n.
                let stop = StopRequest.catching()
                let deadline = started.addingTimeInterval(Double(loaded.directory.timeouts.run))
                let connection = try await DirectorySession.open(loaded, deadline: deadline)
                var run = SyncRun(config: loaded, now: started, acceptLimits: acceptLimits)
                run.progress = global.progress
                run.stop = stop
                run.deadline = deadline
                run.keepsRunValuesUntilExit = true
                let outcome = try await run.apply(connection, saved: saved)
                let duration = Date().timeIntervalSince(started)
                summary = RunSummary(apply: outcome, startedAt: started, duration: duration, configFile: config)
                print(ApplySummary(outcome: outcome, duration: duration).text, terminator: "")
                if let fault = outcome.directoryFault { logger.error("\(fault)") }
                if let problem = outcome.result.storageProblem { logger.error("\(problem)") }
                if let signal = outcome.result.stoppedBy {
                    logger.error("stopped by signal \(signal) after the writes in flight; \(outcome.result.notSent.count) change(s) not sent, the next run makes them")
                }
                return outcome.exitStatus
            } catch {
                summary.exitCode = exitStatus(of: error).rawValue
                summary.error = "\(error)"
                throw error
            }
        }
    }
}
