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
            let lock = try RunLock.acquire(stateDirectory: configuration.stateDir)
            defer { withExtendedLifetime(lock) {} }
            if let warning = lock.staleWarning { printError("ldap-sync: warning: \(warning)") }
            // From here a SIGTERM (systemd stopping the unit) or Ctrl-C ends the run after the writes in
            // flight, with the audit log written and the summary printed: exit 128 + n.
            let stop = StopRequest.catching()
            let deadline = started.addingTimeInterval(Double(configuration.directory.timeouts.run))
            let connection = try await DirectorySession.open(configuration, deadline: deadline)
            var run = SyncRun(config: configuration, now: started, acceptLimits: acceptLimits)
            run.stop = stop
            run.deadline = deadline
            let outcome = try await run.apply(connection, saved: saved)
            print(ApplySummary(outcome: outcome, duration: Date().timeIntervalSince(started)).text, terminator: "")
            for errors in outcome.sourceErrors { printError(errors) }
            if let fault = outcome.directoryFault { printError("ldap-sync: \(fault)") }
            if let problem = outcome.result.storageProblem { printError("ldap-sync: \(problem)") }
            if let signal = outcome.result.stoppedBy {
                printError("ldap-sync: stopped by signal \(signal) after the writes in flight; \(outcome.result.notSent.count) change(s) not sent, the next run makes them")
            }
            return outcome.exitStatus
        }
    }
}
