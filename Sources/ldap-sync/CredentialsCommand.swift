import ArgumentParser
import Foundation
import Sync

/// `ldap-sync credentials`: what happens to first passwords after a run made them.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Reissue a lost first password, or record that letters were handed over.",
        subcommands: [ReissueCommand.self, HandoverCommand.self])
}

/// `ldap-sync credentials reissue --config FILE --user NAME`.
struct ReissueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reissue",
        abstract: "Give one parent a new first password (changed at first login) and a letter; refuses a disabled account.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "The parent's username.")
    var user: String

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            let lock = try RunLock.acquire(stateDirectory: configuration.stateDir, timeout: Double(configuration.directory.timeouts.operation))
            defer { withExtendedLifetime(lock) {} }
            let connection = try await DirectorySession.open(configuration)
            let result = try await CredentialsReissue(config: configuration).run(connection, username: user)
            await connection.close()
            for failure in result.failures { printError("ldap-sync: \(failure.dn): \(failure.error)") }
            if let file = result.credentialsFile {
                print("New first password for \(user): \(file) (mode 0600)")
                if let letters = result.lettersFile { print("Letter to print: \(letters)") }
            }
            guard let failure = result.failures.first else { return .success }
            return failure.error.code.meansConnectionLost ? .directoryUnavailable : .writesFailed
        }
    }
}

/// `ldap-sync credentials handover --config FILE (--user NAME ... | --file LIST.csv)`.
struct HandoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Unlock pending accounts whose letters were handed over (accounts.activation: on_handover).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "A parent's username (repeat for more).")
    var user: [String] = []

    @Option(help: "A CSV with a username column (a sign-in sheet); other columns are ignored.")
    var file: String?

    func validate() throws {
        guard user.isEmpty != (file == nil) else {
            throw ValidationError("name the parents with --user NAME (repeatable) or --file LIST.csv, not both")
        }
    }

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            let usernames = try file.map { try HandoverList.load($0) } ?? user
            let lock = try RunLock.acquire(stateDirectory: configuration.stateDir, timeout: Double(configuration.directory.timeouts.operation))
            defer { withExtendedLifetime(lock) {} }
            let connection = try await DirectorySession.open(configuration)
            let outcome = try await CredentialsHandover(config: configuration).run(connection, usernames: usernames)
            await connection.close()
            for name in outcome.handedOver { print("\(name): handed over, account active") }
            for name in outcome.alreadyActive { print("\(name): already active, nothing to do") }
            for failure in outcome.failures { printError("ldap-sync: \(failure.dn): \(failure.error)") }
            return outcome.exitStatus
        }
    }
}
