import ArgumentParser
import Foundation
import Sync

extension ExitStatus {
    /// The ArgumentParser exit carrying this status.
    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// Runs a command body, turning a thrown error into its message on stderr and its exit status.
/// Errors that do not say which status they mean are input errors (2): nothing was written.
func runMapped(_ body: () async throws -> ExitStatus) async throws {
    let status: ExitStatus
    do {
        status = try await body()
    } catch let error as ExitStatusProviding {
        printError("ldap-sync: \(error)")
        status = error.exitStatus
    } catch {
        printError("ldap-sync: \(error)")
        status = .inputError
    }
    if status != .success { throw status.exitCode }
}

/// One line on stderr, where logs and messages for people go (stdout carries the requested output).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
