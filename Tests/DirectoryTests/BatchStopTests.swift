import Foundation
import SlapdHarness
import Testing

@testable import Directory

/// A batch asked to stop (a signal ending the run): no new write starts, the writes in flight are
/// answered, and what depends on one of them still follows it, so nothing is left half made.
@Suite struct BatchStopTests {
    @Test func stopSendsNothingNewButFinishesWhatTheWritesInFlightBegan() async throws {
        try await withSlapd { server in
            let connection = try await connectAsSync(server)
            var batch = WriteBatch()
            var pairs: [(add: Int, modify: Int)] = []
            for n in 0..<200 {
                let add = parentEntry(server, uid: "s\(n)")
                let addIndex = batch.append(.add(add))
                let modifyIndex = batch.append(.modify(ModifyRequest(dn: add.dn, modifications: [Modification(.replace, "description", ["done"])])))
                pairs.append((addIndex, modifyIndex))
            }
            // The stop comes after a few answers, while the first window of adds is in flight.
            let polls = Counter()
            let outcomes = try await connection.run(batch, window: 8, stopRequested: { polls.next() > 3 })

            let sent = pairs.filter { outcomes[$0.add] == .succeeded }
            #expect(!sent.isEmpty && sent.count < 200, "\(sent.count) adds sent")
            for pair in pairs {
                switch outcomes[pair.add] {
                case .succeeded: #expect(outcomes[pair.modify] == .succeeded, "an add in flight is followed by its modify")
                case .notSent: #expect(outcomes[pair.modify] == .notSent)
                default: Issue.record("add \(pair.add): \(outcomes[pair.add])")
                }
            }
            let found = try await connection.searchAll(SearchRequest(
                base: server.parentsBase, scope: .oneLevel, rawFilter: "(description=done)", attributes: ["1.1"], pageSize: 0))
            #expect(found.count == sent.count, "every entry made is finished")
        }
    }
}

/// Counts calls from the connection's queue.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
