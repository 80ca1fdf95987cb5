import Directory
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A server that does not answer: each of `directory.timeouts` (connect, operation, run) bounds the
/// wait, and the error names the key that ran out.
@Suite struct SlowServerTests {
    @Test func connectTimeoutBoundsAConnectionThatIsNeverAccepted() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let blackHole = try FullListenQueue()
            defer { blackHole.close() }
            var config = try site.config()
            config.directory.url = "ldap://127.0.0.1:\(blackHole.port)"
            config.directory.timeouts.connect = 1
            let started = Date()
            do {
                _ = try await DirectorySession.open(config)
                Issue.record("connected to a port that never accepts")
            } catch let error as DirectoryUnavailable {
                #expect(error.exitStatus == .directoryUnavailable)
                #expect(error.description.contains("directory.timeouts.connect, 1 s"), "\(error)")
            }
            // Without the timeout the kernel would retry the handshake for about two minutes. The
            // margin is for a loaded test machine.
            let took = Date().timeIntervalSince(started)
            #expect(took >= 0.9 && took < 30, "\(took) s")
        }
    }

    @Test func operationTimeoutBoundsAHungServerAndTheCommandExitsFour() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(2))
            try site.addDirectoryKeys("timeouts: {connect: 5, operation: 1, run: 600}\nretries: 0")
            server.suspend()
            defer { server.resume() }
            let started = Date()
            let apply = try site.cli("apply")
            let took = Date().timeIntervalSince(started)
            #expect(apply.status == 4, "\(apply.standardError)")
            #expect(apply.standardError.contains("did not answer the bind within directory.timeouts.operation (1 s)"), "\(apply.standardError)")
            #expect(took < 30, "\(took) s")
        }
    }

    @Test func operationTimeoutMidRunExitsFourNamingTheKey() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(2))
            let run = try site.run {
                $0.directory.timeouts.operation = 1
                $0.directory.retries = 0
            }
            let connection = try await DirectorySession.open(run.config)
            server.suspend()
            defer { server.resume() }
            do {
                _ = try await run.apply(connection)
                Issue.record("a hung server did not stop the run")
            } catch let error as DirectoryUnavailable {
                #expect(error.description.contains("did not answer within directory.timeouts.operation (1 s)"), "\(error)")
            }
        }
    }

    @Test func runTimeoutEndsARunWhoseServerHangsLongBeforeTheOperationTimeout() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Families.export(2))
            var run = try site.run {
                $0.directory.timeouts.operation = 120
                $0.directory.timeouts.run = 2
                $0.directory.retries = 3
            }
            run.deadline = Date().addingTimeInterval(2)
            let connection = try await DirectorySession.open(run.config, deadline: run.deadline)
            server.suspend()
            defer { server.resume() }
            let started = Date()
            do {
                _ = try await run.apply(connection)
                Issue.record("a hung server did not stop the run")
            } catch let error as DirectoryUnavailable {
                #expect(error.description.contains("longer than directory.timeouts.run (2 s)"), "\(error)")
            }
            let took = Date().timeIntervalSince(started)
            #expect(took < 30, "\(took) s: the run's 2 s limit (with room for a loaded machine), not the operation's 120 s, nor the retries")
        }
    }
}

/// A loopback port whose listen queue is full: a new connection's handshake is never completed, as with
/// a firewall that drops packets. One client fills the queue of a `listen(fd, 0)` socket.
final class FullListenQueue {
    let port: Int
    private let listener: Int32
    private let filler: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let size = length
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) } }
        guard bound == 0, listen(listener, 0) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, size) } }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        self.listener = listener
        self.filler = filler
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(filler)
        Glibc.close(listener)
    }
}
