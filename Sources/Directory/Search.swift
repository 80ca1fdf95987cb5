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

/// The entries of a paged search, read a page ahead of the consumer.
///
/// As soon as a page's result gives the cookie, the next page is asked for, before the page's entries are
/// decoded; and as soon as a page is handed to the consumer, the connection's queue starts reading the
/// next. So slapd sends a page while the client decodes the one before, and the consumer works on the
/// one before that: at 200,000 entries the three no longer take turns.
///
/// slapd keeps one paged search per connection: don't interleave two on the same connection. A write
/// batch on it while iterating throws (a batch takes any answer it reads, the search's entries too). A
/// consumer that stops early leaves nothing behind: the page asked for ahead is read to its end (or
/// abandoned when it does not come in time) before any later call on the connection runs.
public struct SearchResults: AsyncSequence, Sendable {
    public typealias Element = Entry
    let connection: LDAPConnection
    let request: SearchRequest

    public func makeAsyncIterator() -> Iterator { Iterator(search: PagedSearch(connection: connection, request: request)) }

    public struct Iterator: AsyncIteratorProtocol {
        let search: PagedSearch
        var buffer: [Entry] = []
        var position = 0

        public mutating func next() async throws -> Entry? {
            while position == buffer.count {
                guard let page = try await search.nextPage() else {
                    buffer = []
                    position = 0
                    return nil
                }
                buffer = page
                position = 0
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}

/// A search sent at once and read later: its first page is asked for when it is made, so the server works
/// on it (and the connection's queue reads it) while the caller does something else. One consumer reads it,
/// once. Until it is read to the end the connection holds a search, as `SearchResults` does while iterated:
/// a write batch on the connection meanwhile throws. Dropped unread, it is read to its end (or abandoned)
/// before anything later on the connection runs.
public final class StartedSearch: @unchecked Sendable {
    private let search: PagedSearch

    init(connection: LDAPConnection, request: SearchRequest) {
        search = PagedSearch(connection: connection, request: request)
        search.start()
    }

    /// Every entry of the search, in the server's order (later pages are asked for as earlier ones come).
    public func entries() async throws -> [Entry] {
        var entries: [Entry] = []
        while let page = try await search.nextPage() { entries += page }
        return entries
    }
}

extension LDAPConnection {
    /// Sends `request` now; its entries are read with `StartedSearch.entries()` when they are wanted.
    public func startSearch(_ request: SearchRequest) -> StartedSearch {
        StartedSearch(connection: self, request: request)
    }

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
}
