import ArgumentParser
import Sync

/// `ldap-sync check --config FILE`: reads every source and says, per source, how many pupils,
/// contacts and links it holds and what is wrong with it; then checks the directory (bind, schema,
/// bases, write access, and that a lock stops a login). Exits 2 when a source cannot be used, 1 when the
/// directory has a problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the sources and the directory: counts, errors, and every problem with its fix.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    func run() async throws {
        try await runMapped {
            let config = try ConfigLoader.load(path: self.config)
            let check = SourceCheck.run(config: config)
            print(check.text)
            let policy = PolicyFilesCheck.run(config: config)
            print(policy.text)
            let directory = await DirectoryCheck.run(config: config)
            print(directory.text)
            return ExitStatus.combined([check.exitStatus, policy.exitStatus, directory.allWell ? .success : .writesFailed])
        }
    }
}
