import ArgumentParser
import Sync

/// The `ldap-sync` command line. Thin on purpose: every rule lives in `Sync` and below.
@main
struct LDAPSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ldap-sync",
        abstract: "Keep parent accounts in an LDAP directory in line with a school's MIS.",
        subcommands: [
            // Each subcommand lives in its own file, named for it.
            DedupeCommand.self,
        ]
    )
}
