import CLDAP
import Foundation
import Synchronization

/// One paged search (RFC 2696) as `SearchResults` reads it: the consumer's side.
///
/// `nextPage` hands out a page and at once queues the reading of the next on the connection, so the
/// connection's queue decodes while the consumer works. Queued work runs in order, so whatever the consumer
/// does on the connection after it stops runs after that read, and after `deinit`'s clean-up.
final class PagedSearch: @unchecked Sendable {
    private let connection: LDAPConnection
    private let state: PagedSearchState
    /// The read of the next page, queued when the last was handed out. Touched by the consumer only.
    private var ahead: PageFuture?
    /// Set once the last page or an error was handed out: nothing is in flight any more.
    private var finished = false

    init(connection: LDAPConnection, request: SearchRequest) {
        self.connection = connection
        self.state = PagedSearchState(request: request, connection: connection)
    }

    deinit {
        guard !finished else { return }
        // The consumer stopped early. Ask the read queued ahead not to ask for another page, and read to
        // its end the one it may have asked for already: slapd keeps one paged search per connection.
        state.stopped.store(true, ordering: .relaxed)
        let state = self.state
        connection.enqueue { ld in state.stop(ld) }
    }

    /// Asks for the first page now, before the consumer wants it (`StartedSearch`).
    func start() {
        guard ahead == nil, !finished else { return }
        ahead = read()
    }

    /// The next page's entries; nil after the last page.
    func nextPage() async throws -> [Entry]? {
        guard !finished else { return nil }
        let future = ahead ?? read()
        ahead = nil
        let page: PagedSearchState.Page
        do {
            page = try await future.value()
        } catch {
            finished = true
            throw error
        }
        if page.more {
            ahead = read()
        } else {
            finished = true
        }
        return page.entries
    }

    private func read() -> PageFuture {
        let future = PageFuture()
        let state = self.state
        connection.enqueue { ld in
            guard let ld else {
                future.fulfil(.failure(LDAPError(operation: "search", code: .serverDown, diagnosticMessage: "connection is closed")))
                return
            }
            future.fulfil(Result { try state.nextPage(ld) })
        }
        return future
    }
}

/// One paged search: the connection queue's side. Touched only on the connection's queue, but for `stopped`.
final class PagedSearchState: @unchecked Sendable {
    struct Page: Sendable {
        var entries: [Entry]
        /// Whether the server has more pages (the next is asked for already, or its error is waiting).
        var more: Bool
    }

    let request: SearchRequest
    let options: ConnectionOptions
    /// Counts this search in `searchesAhead` while a page is asked for ahead.
    private let connection: LDAPConnection
    /// The request sent for the next page and not yet read.
    private var pending: Int32? {
        didSet { connection.searchesAhead += (pending == nil ? 0 : 1) - (oldValue == nil ? 0 : 1) }
    }
    /// An error sending the next page's request: thrown when that page is asked for, after the page before.
    private var deferred: LDAPError?
    private var started = false
    /// Set by the consumer when it stops early: no further page is asked for.
    let stopped = Atomic<Bool>(false)

    init(request: SearchRequest, connection: LDAPConnection) {
        self.request = request
        self.options = connection.options
        self.connection = connection
    }

    /// Reads one page: its messages, then (the cookie known) asks for the next, then decodes the entries.
    ///
    /// A result other than success is thrown even when entries came with it: a size limit that cut a
    /// read short must never look like a complete directory, or the sync would think accounts are missing.
    func nextPage(_ ld: OpaquePointer) throws -> Page {
        if let deferred {
            self.deferred = nil
            throw deferred
        }
        let messageID: Int32
        if let pending {
            messageID = pending
            self.pending = nil
        } else {
            precondition(!started, "a paged search asked for a page past its last")
            messageID = try send(ld, cookie: [])
        }
        started = true
        var entries: [OpaquePointer] = []
        defer { entries.forEach { ldap_msgfree($0) } }
        let result = try collect(ld, messageID: messageID, into: &entries)
        let cookie: [UInt8]
        do {
            defer { ldap_msgfree(result) }
            cookie = try finish(ld, result)
        }
        // The consumer has gone: nothing more is asked for, and nothing of this page need be decoded.
        if stopped.load(ordering: .relaxed) { return Page(entries: [], more: false) }
        let more = !cookie.isEmpty
        if more {
            do {
                pending = try send(ld, cookie: cookie)
            } catch let error as LDAPError {
                deferred = error
            }
        }
        var decoder = SearchEntryDecoder()
        return Page(entries: entries.map { decoder.entry(ld, $0) }, more: more)
    }

    /// Reads to its end the page asked for ahead, if any: the consumer stopped early. Abandons it when it
    /// does not come within the wait limit.
    func stop(_ ld: OpaquePointer?) {
        guard let ld, let messageID = pending else { return }
        pending = nil
        let limit = options.waitLimit()
        var timeout = timeval(seconds: limit.seconds)
        var message: OpaquePointer?
        let type = ldap_result(ld, messageID, LDAP_MSG_ALL, &timeout, &message)
        if type <= 0 { _ = ldap_abandon_ext(ld, messageID, nil, nil) }
        if let message { ldap_msgfree(message) }
    }

    private func send(_ ld: OpaquePointer, cookie: [UInt8]) throws -> Int32 {
        let memory = CAllocations()
        var control: UnsafeMutablePointer<LDAPControl>?
        defer { if let control { ldap_control_free(control) } }
        if request.pageSize > 0 {
            let cookieValue = cookie.isEmpty ? nil : memory.berval(cookie)
            let rc = ldap_create_page_control(ld, ber_int_t(request.pageSize), cookieValue, 1, &control)
            guard rc == LDAP_SUCCESS, control != nil else {
                throw lastError(ld, code: rc)
            }
        }
        var serverControls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
        var messageID: Int32 = 0
        var timeout = timeval(seconds: options.operationTimeout)
        let rc = serverControls.withUnsafeMutableBufferPointer { controls in
            ldap_search_ext(
                ld, request.base, request.scope.rawValue, request.filter,
                memory.cStringArray(request.attributes), 0, control == nil ? nil : controls.baseAddress, nil,
                &timeout, 0, &messageID)
        }
        guard rc == LDAP_SUCCESS else { throw lastError(ld, code: rc) }
        return messageID
    }

    /// The page's entry messages (undecoded, in `entries`, the caller frees them) and its result message.
    private func collect(_ ld: OpaquePointer, messageID: Int32, into entries: inout [OpaquePointer]) throws -> OpaquePointer {
        while true {
            let message = try connection.awaitResult(ld, messageID: messageID, operation: "search", dn: request.base, all: false)
            switch ldap_msgtype(message) {
            case Int32(LDAP_RES_SEARCH_ENTRY):
                entries.append(message)
            case Int32(LDAP_RES_SEARCH_RESULT):
                return message
            default:
                // Search references (referrals) are not followed: ldap-sync works on one server.
                ldap_msgfree(message)
            }
        }
    }

    /// The cookie for the next page (empty when done); throws unless the result is success.
    private func finish(_ ld: OpaquePointer, _ message: OpaquePointer) throws -> [UInt8] {
        var code: Int32 = 0
        var errorMessage: UnsafeMutablePointer<CChar>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let rc = ldap_parse_result(ld, message, &code, nil, &errorMessage, nil, &controls, 0)
        defer {
            if let errorMessage { ldap_memfree(errorMessage) }
            if let controls { ldap_controls_free(controls) }
        }
        guard rc == LDAP_SUCCESS else { throw lastError(ld, code: rc) }
        guard code == LDAP_SUCCESS else {
            throw LDAPError(
                operation: "search", code: ResultCode(rawValue: code),
                diagnosticMessage: errorMessage.map { String(cString: $0) } ?? "", dn: request.base)
        }
        guard let pageControl = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nil) else {
            return []  // the server ignored paging and sent everything at once
        }
        var estimate: ber_int_t = 0
        var cookie = berval(bv_len: 0, bv_val: nil)
        guard ldap_parse_pageresponse_control(ld, pageControl, &estimate, &cookie) == LDAP_SUCCESS else {
            throw LDAPError(operation: "search", code: .decodingError, diagnosticMessage: "bad paged results control", dn: request.base)
        }
        defer { ber_memfree(cookie.bv_val) }
        return withUnsafeMutablePointer(to: &cookie) { bytes(of: $0) }
    }

    private func lastError(_ ld: OpaquePointer, code: Int32? = nil) -> LDAPError {
        LDAPConnection.lastError(ld, operation: "search", code: code, dn: request.base)
    }
}

/// A page being read on the connection's queue, awaited by the consumer.
final class PageFuture: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<PagedSearchState.Page, any Error>?
    private var waiter: CheckedContinuation<PagedSearchState.Page, any Error>?

    func fulfil(_ result: Result<PagedSearchState.Page, any Error>) {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(with: result)
        } else {
            self.result = result
            lock.unlock()
        }
    }

    func value() async throws -> PagedSearchState.Page {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(with: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
