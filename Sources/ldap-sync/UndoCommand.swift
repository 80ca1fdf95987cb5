import ArgumentParser
import Foundation
import Sync

/// `ldap-sync undo --config FILE --run RUN_ID`: prints the LDIF that reverses one run, from the audit
/// log, for IT to review and apply with `ldapmodify`. Never writes to the directory.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Print the LDIF that reverses one run (from the audit log), to review and apply with ldapmodify.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ldif
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(name: .customLong("run"), help: "The run to reverse: its id, as the summary line and the audit log give it.")
    var runID: String

    @Option(help: "ldif (the only one).")
    var format: Format = .ldif

    @Option(help: "Write the LDIF to this file instead of stdout.")
    var output: String?

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            let records = try AuditLog.read(stateDirectory: configuration.stateDir)
            let path = (configuration.stateDir as NSString).appendingPathComponent("audit.jsonl")
            try writeOutput(try UndoLDIF.ldif(run: runID, records: records, logPath: path), to: output)
            return .success
        }
    }
}
