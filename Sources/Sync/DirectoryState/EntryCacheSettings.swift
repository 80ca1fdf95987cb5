/// Where a run keeps its copy of the last whole-tree read (`EntryCacheFile`), and whether it may write it.
public struct EntryCacheSettings: Sendable {
    /// The file: `state_dir/directory-cache`.
    public var path: String
    /// Who reads: the bind DN (what a read returns depends on what its access lets it see).
    public var reader: String
    /// Whether the run writes the file (`apply`; `plan` only reads it).
    public var writes: Bool

    public init(path: String, reader: String, writes: Bool) {
        self.path = path
        self.reader = reader
        self.writes = writes
    }
}
