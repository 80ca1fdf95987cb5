import ArgumentParser
import Sync

// The executable is the only place that parses a format from the command line.
extension ParentSchema.Format: ExpressibleByArgument {}

/// `ldap-sync schema [--format schema|ldif]`: prints the misParent schema for the directory's admin.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the misParent schema to load into the directory.",
        discussion: "slapd.conf form (schema) for an include line, or cn=config form (ldif) for ldapadd."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "schema: slapd.conf form; ldif: cn=config form.")
    var format: ParentSchema.Format = .schema

    func run() async throws {
        global.startLogging()
        try await runMapped {
            // The text ends with its own newline.
            print(ParentSchema.text(format), terminator: "")
            return .success
        }
    }
}
