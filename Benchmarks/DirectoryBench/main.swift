// Adds N entries to a fresh test slapd one at a time, then N more as a pipelined batch, and prints both
// rates and their ratio. Figures only: nothing here asserts a time.
//
//   swift run -c release directory-bench [N] [--fsync]
import Directory
import Foundation
import SlapdHarness

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.compactMap { Int($0) }.first ?? 10_000
let fsync = arguments.contains("--fsync")

func entry(_ server: SlapdServer, _ uid: String) -> AddRequest {
    AddRequest(
        dn: "uid=\(uid),\(server.parentsBase)",
        attributes: [
            Attribute("objectClass", ["inetOrgPerson", "misParent"]), Attribute("uid", [uid]),
            Attribute("cn", ["Parent \(uid)"]), Attribute("sn", ["Parent"]), Attribute("misParentId", [uid]),
            Attribute("misContactRef", ["5301234/\(uid)"]), Attribute("misAccountStatus", ["active"]),
        ])
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The whole measurement, outside top-level code (whose closures would be main-actor isolated).
func measure(count: Int, fsync: Bool) async throws {
try await withSlapd(SlapdOptions(fsync: fsync, logOperations: false)) { server in
    let connection = try await LDAPConnection.connect(ConnectionOptions(url: server.ldapURL))
    try await connection.bind(dn: server.syncDN, password: Secret(server.syncPassword))

    let oneAtATime = try await seconds {
        for n in 0..<count { try await connection.add(entry(server, "seq\(n)")) }
    }
    var batch = WriteBatch()
    for n in 0..<count { batch.append(.add(entry(server, "pipe\(n)"))) }
    var failures = 0
    let pipelined = try await seconds {
        failures = try await connection.run(batch).filter { !$0.succeeded }.count
    }
    let sequentialRate = Double(count) / oneAtATime
    let pipelinedRate = Double(count) / pipelined
    print("directory-bench: \(count) adds each way, mdb \(fsync ? "with fsync" : "dbnosync"), window \(LDAPConnection.defaultWindow)")
    print(String(format: "  one at a time : %7.2f s  %8.0f adds/s", oneAtATime, sequentialRate))
    print(String(format: "  pipelined     : %7.2f s  %8.0f adds/s  (%d failed)", pipelined, pipelinedRate, failures))
    print(String(format: "  ratio pipelined / one at a time: %.2f×", pipelinedRate / sequentialRate))
}
}

try await measure(count: count, fsync: fsync)
