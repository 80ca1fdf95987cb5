import ArgumentParser
import Foundation
import Logging
import Sync

extension ExitStatus {
    /// The ArgumentParser exit carrying this status.
    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// The exit status an error means: its own, else 2 (an input error: nothing was written).
func exitStatus(of error: any Error) -> ExitStatus {
    (error as? ExitStatusProviding)?.exitStatus ?? .inputError
}

/// Runs a command body, turning a thrown error into a logged message and its exit status.
/// Errors that do not say which status they mean are input errors (2): nothing was written.
func runMapped(_ body: () async throws -> ExitStatus) async throws {
    let status: ExitStatus
    do {
        status = try await body()
    } catch {
        Logger.run().error("\(error)")
        status = exitStatus(of: error)
    }
    if status != .success { throw status.exitCode }
}

/// One line on stderr, where logs and messages for people go (stdout carries the requested output).
func printError(_ message: String) {
    StandardErrorStream.shared.writeLines(message + "\n")
}
