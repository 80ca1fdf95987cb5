import ArgumentParser
import Sync

/// `ldap-sync check --config FILE`: reads every source and says, per source, how many pupils,
/// contacts and links it holds and what is wrong with it. Exits 2 when a source cannot be used.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Read every MIS source and report its pupils, contacts, links, warnings and errors.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    func run() async throws {
        try await runMapped {
            let config = try ConfigLoader.load(path: self.config)
            let check = SourceCheck.run(config: config)
            print(check.text)
            return check.exitStatus
        }
    }
}
