import Foundation

/// Starts a test slapd, runs `body` with it and always stops it.
///
/// When `body` throws, the server's folder (configuration, database, log) is kept and its log path
/// printed to stderr, so the failure can be read against what slapd saw.
///
/// Write the closure as `{ server throws in … }` when its only `try`s sit inside `#expect` or
/// `#require`: Swift decides whether a closure throws before it expands macros, so without the
/// word it takes the closure for one that does not throw and rejects the `try`.
public func withSlapd<T: Sendable>(
    _ options: SlapdOptions = .init(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (SlapdServer) async throws -> T
) async throws -> T {
    let server = try await SlapdServer.start(options)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop(keepingFiles: true)
        FileHandle.standardError.write(Data("slapd log kept: \(server.logFile)\n".utf8))
        throw error
    }
}
