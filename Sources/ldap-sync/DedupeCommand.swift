import ArgumentParser
import Foundation
import Roster
import Sync

/// `ldap-sync dedupe`: who is who across the sources, who gets an account and why, and what the school
/// office should fix in the MIS. Needs no directory and writes nothing but its output.
struct DedupeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "List every parent found in the sources, the records joined into each, and the near misses.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "text (for the school office), json or csv.")
    var format: DedupeReport.Format = .text

    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let report = try DedupeRun.report(configPath: config, on: .todayUTC())
            try writeOutput(try report.rendered(as: format), to: output)
            return .success
        }
    }
}

extension DedupeReport.Format: ExpressibleByArgument {}

/// The requested output to `path`, or to stdout when there is none.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    try AtomicFile.replace(path, with: text.utf8)
}
