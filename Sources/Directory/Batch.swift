import CLDAP
import Foundation

/// Writes to send pipelined on one connection, with the order that matters made explicit.
///
/// slapd runs pipelined operations concurrently and answers in any order (RFC 4511 §3), so an operation that
/// needs an earlier one — a child under a new entry, a modify after the add of the same entry — waits until
/// that one has succeeded. `append` infers those dependencies from the DNs; `after:` adds others.
public struct WriteBatch: Sendable {
    public struct Item: Sendable {
        public var operation: WriteOperation
        /// Indices of earlier items that must succeed before this one is sent.
        public var dependencies: [Int]
    }

    public private(set) var items: [Item] = []
    /// The last item that touched each DN (by comparison key), for inferring dependencies.
    private var lastTouching: [String: Int] = [:]

    public init() {}

    public var count: Int { items.count }

    /// Appends `operation`; it will be sent only after every item in `after` and every earlier item that
    /// touched the same DN or its parent has succeeded. Returns the item's index.
    @discardableResult
    public mutating func append(_ operation: WriteOperation, after explicit: [Int] = []) -> Int {
        let index = items.count
        var dependencies = Set(explicit.filter { $0 >= 0 && $0 < index })
        for dn in operation.touchedDNs {
            let key = Self.key(dn)
            if let earlier = lastTouching[key] { dependencies.insert(earlier) }
            if let parent = Self.parentKey(dn), let earlier = lastTouching[parent] { dependencies.insert(earlier) }
        }
        items.append(Item(operation: operation, dependencies: dependencies.sorted()))
        for dn in operation.touchedDNs { lastTouching[Self.key(dn)] = index }
        return index
    }

    static func key(_ dn: String) -> String {
        DistinguishedName.comparisonKey(of: dn)
    }

    static func parentKey(_ dn: String) -> String? {
        (try? DistinguishedName(parsing: dn))?.parent?.comparisonKey
    }
}

/// What became of one item of a batch.
public enum WriteOutcome: Sendable, Equatable {
    case succeeded
    case failed(LDAPError)
    /// Not sent, because the item at this index (which it depends on) did not succeed.
    case skipped(becauseOf: Int)
    /// Not sent, because the caller asked the batch to stop (a signal to end the run).
    case notSent

    public var succeeded: Bool { self == .succeeded }
}

extension LDAPConnection {
    /// The most operations in flight at once by default. slapd closes an authenticated connection with more
    /// than `conn_max_pending_auth` (1000) outstanding, and on loopback anything past a few dozen gains
    /// nothing, so 256 leaves a wide margin.
    public static let defaultWindow = 256

    /// Sends the batch pipelined, at most `window` operations outstanding, and returns one outcome per item,
    /// in the batch's order. A failed write does not stop the others; its dependants are skipped. If the
    /// connection is lost, everything not yet answered fails with `serverDown`.
    ///
    /// Once `stopRequested` answers true, no new write starts: the writes in flight are answered, and
    /// those that depend on one of them (the password of an account just added) still follow it, so
    /// nothing is left half made; every other item is `notSent`.
    public func run(
        _ batch: WriteBatch, window: Int = defaultWindow, stopRequested: @escaping @Sendable () -> Bool = { false }
    ) async throws -> [WriteOutcome] {
        let window = max(1, min(window, 900))
        return try await withHandle("batch") { ld in
            // A batch reads whatever answer comes next: it would take, and drop, a search's entries.
            guard self.searchesAhead == 0 else {
                throw LDAPError(
                    operation: "batch", code: .localError,
                    diagnosticMessage: "a paged search is still being read on this connection")
            }
            var pipeline = Pipeline(batch: batch)
            return self.drive(&pipeline, ld, window: window, stopRequested: stopRequested)
        }
    }

    private func drive(
        _ pipeline: inout Pipeline, _ ld: OpaquePointer, window: Int, stopRequested: () -> Bool
    ) -> [WriteOutcome] {
        var inFlight: [Int32: Int] = [:]
        while true {
            if stopRequested() { pipeline.stopStartingNew() }
            while inFlight.count < window, let index = pipeline.nextReady() {
                let operation = pipeline.batch.items[index].operation
                var messageID: Int32 = 0
                let rc = operation.send(ld, &messageID)
                if rc == LDAP_SUCCESS {
                    inFlight[messageID] = index
                } else {
                    let error = lastError(ld, operation: operation.name, code: rc, dn: operation.dn)
                    if error.code.meansConnectionLost { return pipeline.failEverythingLeft(error) }
                    pipeline.finish(index, .failed(error))
                }
            }
            if inFlight.isEmpty { return pipeline.outcomes() }

            let limit = options.waitLimit()
            var timeout = timeval(seconds: limit.seconds)
            var message: OpaquePointer?
            let type = ldap_result(ld, LDAP_RES_ANY, LDAP_MSG_ONE, &timeout, &message)
            if type <= 0 {
                let error = type == 0
                    ? LDAPError(operation: "batch", code: .timeout, diagnosticMessage: options.noAnswerMessage(byDeadline: limit.byDeadline))
                    : lastError(ld, operation: "batch")
                for messageID in inFlight.keys { _ = ldap_abandon_ext(ld, messageID, nil, nil) }
                return pipeline.failEverythingLeft(error)
            }
            let messageID = ldap_msgid(message)
            guard let index = inFlight.removeValue(forKey: messageID) else {
                ldap_msgfree(message)  // not ours (an unsolicited notification): nothing waits for it
                continue
            }
            let operation = pipeline.batch.items[index].operation
            let result = parseResult(ld, message!)
            pipeline.finish(
                index,
                result.code == .success
                    ? .succeeded
                    : .failed(LDAPError(operation: operation.name, code: result.code, diagnosticMessage: result.message, dn: operation.dn)))
        }
    }
}

/// The bookkeeping of one batch run: which items are ready, which wait, what became of each.
private struct Pipeline {
    let batch: WriteBatch
    private var outcomesSoFar: [WriteOutcome?]
    private var waitingOn: [Int]  // unfinished dependencies per item
    private var dependants: [[Int]]
    private var ready: [Int] = []
    private var readyHead = 0
    /// Set when the caller asked to stop: only dependants of items already sent may still start.
    private var stopping = false
    /// The items handed out by `nextReady` (sent, or failed to send).
    private var started = Set<Int>()

    init(batch: WriteBatch) {
        self.batch = batch
        outcomesSoFar = Array(repeating: nil, count: batch.count)
        waitingOn = batch.items.map(\.dependencies.count)
        dependants = Array(repeating: [], count: batch.count)
        for (index, item) in batch.items.enumerated() {
            for dependency in item.dependencies { dependants[dependency].append(index) }
            if item.dependencies.isEmpty { ready.append(index) }
        }
    }

    mutating func nextReady() -> Int? {
        guard readyHead < ready.count else { return nil }
        defer { readyHead += 1 }
        started.insert(ready[readyHead])
        return ready[readyHead]
    }

    /// Marks every item that has not started and depends on nothing as `notSent` (and, in turn, what
    /// depends on them). Items waiting on a write in flight stay: they finish what it began.
    mutating func stopStartingNew() {
        guard !stopping else { return }
        stopping = true
        var kept: [Int] = []
        for index in ready[readyHead...] {
            if batch.items[index].dependencies.isEmpty {
                outcomesSoFar[index] = .notSent
                skipDependants(of: index, as: .notSent)
            } else {
                kept.append(index)
            }
        }
        ready = kept
        readyHead = 0
        // Items that never became ready and depend on nothing sent are not sent either.
        for index in outcomesSoFar.indices where outcomesSoFar[index] == nil && waitingOn[index] > 0 {
            let startedAny = batch.items[index].dependencies.contains { started.contains($0) }
            if !startedAny { outcomesSoFar[index] = .notSent }
        }
    }


    private mutating func skipDependants(of index: Int, as outcome: WriteOutcome) {
        var pending = [index]
        while let cause = pending.popLast() {
            for dependant in dependants[cause] where outcomesSoFar[dependant] == nil {
                outcomesSoFar[dependant] = outcome
                pending.append(dependant)
            }
        }
    }

    /// Records an outcome; a success releases the items waiting on it, a failure skips them and, in turn,
    /// their own dependants (iteratively: a long chain must not exhaust a dispatch thread's small stack).
    mutating func finish(_ index: Int, _ outcome: WriteOutcome) {
        outcomesSoFar[index] = outcome
        var failed: [Int] = outcome.succeeded ? [] : [index]
        if outcome.succeeded {
            for dependant in dependants[index] where outcomesSoFar[dependant] == nil {
                waitingOn[dependant] -= 1
                if waitingOn[dependant] == 0 { ready.append(dependant) }
            }
        }
        while let cause = failed.popLast() {
            for dependant in dependants[cause] where outcomesSoFar[dependant] == nil {
                outcomesSoFar[dependant] = .skipped(becauseOf: cause)
                failed.append(dependant)
            }
        }
    }

    mutating func failEverythingLeft(_ error: LDAPError) -> [WriteOutcome] {
        for index in outcomesSoFar.indices where outcomesSoFar[index] == nil {
            let operation = batch.items[index].operation
            var specific = error
            specific.operation = operation.name
            specific.dn = operation.dn
            outcomesSoFar[index] = .failed(specific)
        }
        return outcomes()
    }

    /// Every item's outcome; one still open can only be one that a stop left waiting on nothing sent.
    func outcomes() -> [WriteOutcome] { outcomesSoFar.map { $0 ?? .notSent } }
}
