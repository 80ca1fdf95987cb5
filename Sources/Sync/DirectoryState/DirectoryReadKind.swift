/// How a run read the tree, for its log: through the cache, or whole and why.
public enum DirectoryReadKind: Sendable, Equatable, CustomStringConvertible {
    /// `unchanged` entries taken from the cache, `changed` (and new) ones read from the server, `gone` ones
    /// the cache had and the directory no longer has.
    case incremental(unchanged: Int, changed: Int, gone: Int)
    /// Every entry read from the server, for this reason.
    case whole(String)

    public var description: String {
        switch self {
        case .incremental(let unchanged, let changed, let gone): "\(unchanged) unchanged (from the cache), \(changed) read, \(gone) gone"
        case .whole(let reason): "every entry read (\(reason))"
        }
    }
}
