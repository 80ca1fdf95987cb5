import ArgumentParser
import Foundation
import Sync

/// The `ldap-sync` command line. Thin on purpose: every rule lives in `Sync` and below.
@main
struct LDAPSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldap-sync",
        abstract: "Keep parent accounts in an LDAP directory in line with a school's MIS.",
        subcommands: [
            // Each subcommand lives in its own file, named for it.
            PlanCommand.self,
            ApplyCommand.self,
            DedupeCommand.self,
            CheckCommand.self,
            SchemaCommand.self,
            CredentialsCommand.self,
        ]
    )

    /// Parses and runs, with DESIGN.md Part B's exit codes: a usage error is 2 (ArgumentParser would say
    /// 64), so scripts see one code for "nothing was done because the input was wrong".
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.inputError.rawValue)
            }
            exit(withError: error)
        }
    }
}
