import CLDAP
import Foundation

/// A search request (RFC 4511 §4.5) read in pages (RFC 2696), so a directory of any size streams.
public struct SearchRequest: Sendable, Hashable {
    public enum Scope: Int32, Sendable, Hashable {
        case base = 0
        case oneLevel = 1
        case subtree = 2
    }

    public var base: String
    public var scope: Scope
    /// The filter's string form. Build it with `Filter` so values are escaped.
    public var filter: String
    /// Attributes to return; empty means all user attributes.
    public var attributes: [String]
    /// Entries per page; 0 sends no paging control (for the root DSE and other single entries). slapd needs a `limits … size.prtotal` rule for the bind DN to page past its
    /// `sizelimit` (500 by default).
    public var pageSize: Int

    public init(base: String, scope: Scope = .subtree, filter: Filter, attributes: [String] = [], pageSize: Int = 500) {
        self.init(base: base, scope: scope, rawFilter: filter.description, attributes: attributes, pageSize: pageSize)
    }

    /// A request with a filter already in string form (from a configuration file, say).
    public init(base: String, scope: Scope = .subtree, rawFilter: String, attributes: [String] = [], pageSize: Int = 500) {
        self.base = base
        self.scope = scope
        self.filter = rawFilter
        self.attributes = attributes
        self.pageSize = pageSize
    }
}

/// The entries of a paged search, fetched a page at a time as they are consumed.
///
/// slapd keeps one paged search per connection: don't interleave two on the same connection.
public struct SearchResults: AsyncSequence, Sendable {
    public typealias Element = Entry
    let connection: LDAPConnection
    let request: SearchRequest

    public func makeAsyncIterator() -> Iterator { Iterator(connection: connection, request: request) }

    public struct Iterator: AsyncIteratorProtocol {
        let connection: LDAPConnection
        let request: SearchRequest
        var buffer: [Entry] = []
        var position = 0
        var cookie: [UInt8]? = []  // nil once the server said there are no more pages

        public mutating func next() async throws -> Entry? {
            while position == buffer.count {
                guard let current = cookie else { return nil }
                let page = try await connection.searchPage(request, cookie: current)
                buffer = page.entries
                position = 0
                cookie = page.cookie.isEmpty ? nil : page.cookie
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}

extension LDAPConnection {
    /// Streams the entries matching `request`, page by page.
    public func search(_ request: SearchRequest) -> SearchResults {
        SearchResults(connection: self, request: request)
    }

    /// All entries matching `request`, collected.
    public func searchAll(_ request: SearchRequest) async throws -> [Entry] {
        var entries: [Entry] = []
        for try await entry in search(request) { entries.append(entry) }
        return entries
    }

    /// One page: the entries and the cookie for the next page (empty when done).
    ///
    /// A result other than success is thrown even when entries came with it: a size limit that cut a
    /// read short must never look like a complete directory, or the sync would think accounts are missing.
    func searchPage(_ request: SearchRequest, cookie: [UInt8]) async throws -> (entries: [Entry], cookie: [UInt8]) {
        try await withHandle("search") { ld in
            let memory = CAllocations()
            var control: UnsafeMutablePointer<LDAPControl>?
            defer { if let control { ldap_control_free(control) } }
            if request.pageSize > 0 {
                let cookieValue = cookie.isEmpty ? nil : memory.berval(cookie)
                let rc = ldap_create_page_control(ld, ber_int_t(request.pageSize), cookieValue, 1, &control)
                guard rc == LDAP_SUCCESS, control != nil else {
                    throw self.lastError(ld, operation: "search", code: rc, dn: request.base)
                }
            }
            var serverControls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
            var messageID: Int32 = 0
            var timeout = timeval(seconds: self.options.operationTimeout)
            let rc = serverControls.withUnsafeMutableBufferPointer { controls in
                ldap_search_ext(
                    ld, request.base, request.scope.rawValue, request.filter,
                    memory.cStringArray(request.attributes), 0, control == nil ? nil : controls.baseAddress, nil,
                    &timeout, 0, &messageID)
            }
            guard rc == LDAP_SUCCESS else { throw self.lastError(ld, operation: "search", code: rc, dn: request.base) }
            return try self.collectPage(ld, messageID: messageID, base: request.base)
        }
    }

    private func collectPage(_ ld: OpaquePointer, messageID: Int32, base: String) throws -> (entries: [Entry], cookie: [UInt8]) {
        var entries: [Entry] = []
        while true {
            let limit = options.waitLimit()
            var timeout = timeval(seconds: limit.seconds)
            var message: OpaquePointer?
            let type = ldap_result(ld, messageID, LDAP_MSG_ONE, &timeout, &message)
            switch type {
            case 0:
                _ = ldap_abandon_ext(ld, messageID, nil, nil)
                throw LDAPError(operation: "search", code: .timeout, diagnosticMessage: options.noAnswerMessage(byDeadline: limit.byDeadline), dn: base)
            case -1:
                throw lastError(ld, operation: "search", dn: base)
            case Int32(LDAP_RES_SEARCH_ENTRY):
                defer { ldap_msgfree(message) }
                entries.append(readEntry(ld, message!))
            case Int32(LDAP_RES_SEARCH_RESULT):
                return (entries, try finishPage(ld, message!, base: base))
            default:
                // Search references (referrals) are not followed: ldap-sync works on one server.
                ldap_msgfree(message)
            }
        }
    }

    private func finishPage(_ ld: OpaquePointer, _ message: OpaquePointer, base: String) throws -> [UInt8] {
        var code: Int32 = 0
        var errorMessage: UnsafeMutablePointer<CChar>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let rc = ldap_parse_result(ld, message, &code, nil, &errorMessage, nil, &controls, 1)
        defer {
            if let errorMessage { ldap_memfree(errorMessage) }
            if let controls { ldap_controls_free(controls) }
        }
        guard rc == LDAP_SUCCESS else { throw lastError(ld, operation: "search", code: rc, dn: base) }
        guard code == LDAP_SUCCESS else {
            throw LDAPError(
                operation: "search", code: ResultCode(rawValue: code),
                diagnosticMessage: errorMessage.map { String(cString: $0) } ?? "", dn: base)
        }
        guard let pageControl = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, nil) else {
            return []  // the server ignored paging and sent everything at once
        }
        var estimate: ber_int_t = 0
        var cookie = berval(bv_len: 0, bv_val: nil)
        guard ldap_parse_pageresponse_control(ld, pageControl, &estimate, &cookie) == LDAP_SUCCESS else {
            throw LDAPError(operation: "search", code: .decodingError, diagnosticMessage: "bad paged results control", dn: base)
        }
        defer { ber_memfree(cookie.bv_val) }
        return withUnsafeMutablePointer(to: &cookie) { bytes(of: $0) }
    }

    /// Decodes one entry in a single pass over its BER: the DN and each attribute's values are read where
    /// they lie in the message (no per-attribute search of the entry, no C strings allocated) and copied
    /// once into Swift values.
    private func readEntry(_ ld: OpaquePointer, _ message: OpaquePointer) -> Entry {
        var ber: OpaquePointer?
        var dnValue = berval(bv_len: 0, bv_val: nil)
        guard ldap_get_dn_ber(ld, message, &ber, &dnValue) == LDAP_SUCCESS else {
            if let ber { ber_free(ber, 0) }
            return Entry(dn: "", attributes: [])
        }
        defer { if let ber { ber_free(ber, 0) } }
        let dn = text(of: dnValue)
        var attributes: [Attribute] = []
        while true {
            var name = berval(bv_len: 0, bv_val: nil)
            var values: UnsafeMutablePointer<berval>?
            guard ldap_get_attribute_ber(ld, message, ber, &name, &values) == LDAP_SUCCESS, name.bv_val != nil else {
                if let values { ber_memfree(values) }
                break
            }
            var collected: [[UInt8]] = []
            if let values {
                var index = 0
                while values[index].bv_val != nil {
                    collected.append(bytes(of: values + index))
                    index += 1
                }
                ber_memfree(values)
            }
            attributes.append(Attribute(text(of: name), values: collected))
        }
        return Entry(dn: dn, attributes: attributes)
    }

    /// UTF-8 text of a berval that points into a message (not NUL-terminated).
    private func text(of value: berval) -> String {
        guard value.bv_len > 0, let base = value.bv_val else { return "" }
        return base.withMemoryRebound(to: UInt8.self, capacity: Int(value.bv_len)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(value.bv_len)), as: UTF8.self)
        }
    }
}
