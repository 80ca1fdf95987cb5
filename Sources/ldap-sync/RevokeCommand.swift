import ArgumentParser
import Foundation
import Sync

/// `ldap-sync revoke`: take one child link away at once, without a full run, and record the restriction
/// so that no later run puts it back.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Remove one parent's link to one pupil now, and keep it removed (a restriction the school sets).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var link: LinkOptions

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let outcome = try await Revocation.perform(.revoke, link.request, configPath: link.config)
            print(outcome.text(link.request, restored: false), terminator: "")
            return outcome.exitStatus
        }
    }
}

/// `ldap-sync restore`: lift a restriction `revoke` (or the school) recorded.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Lift a restriction on one parent's link to one pupil; the next run links again if the MIS grants it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var link: LinkOptions

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let outcome = try await Revocation.perform(.restore, link.request, configPath: link.config)
            print(outcome.text(link.request, restored: true), terminator: "")
            return outcome.vle?.exitStatus ?? .success
        }
    }
}

/// The options `revoke` and `restore` share: which link, why, and who acts.
struct LinkOptions: ParsableArguments {
    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "The pupil, as <school_id>/<pupil_id>.")
    var pupil: String

    @Option(help: "The parent's username.")
    var parent: String

    @Option(help: "Why (recorded in the restrictions file and the audit log).")
    var reason: String

    @Option(help: "Who decided (recorded in the restrictions file and the audit log).")
    var by: String

    var request: Revocation.Request { Revocation.Request(pupil: pupil, parent: parent, reason: reason, by: by) }
}
