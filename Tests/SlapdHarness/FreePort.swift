import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free TCP ports on 127.0.0.1, found by letting the kernel pick one (bind to port 0).
///
/// The port is free when we look, not when slapd binds it: another process can take it in between.
/// `SlapdServer.start` therefore retries with new ports when slapd reports the address in use. Ports
/// handed out by this process are remembered so that servers started in parallel by one test run
/// do not race each other for the same port.
public enum FreePort {
    private static let handedOut = Locked(Set<Int>())

    /// `count` distinct free ports, each never handed out before by this process.
    public static func loopback(count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 100 else { throw SlapdHarnessError.system(call: "bind(127.0.0.1:0)", errno: EADDRINUSE) }
            // Each socket stays open until all are found, so the kernel does not give one port twice.
            let (socket, port) = try bindAnyPort()
            sockets.append(socket)
            if handedOut.withLock({ $0.insert(port).inserted }) { ports.append(port) }
        }
        return ports
    }

    private static func bindAnyPort() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SlapdHarnessError.system(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw SlapdHarnessError.system(call: "bind(127.0.0.1:0)", errno: code)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
