import Foundation

/// One line of the audit log: a write and its result, or an event of the run (start, end, revoke).
public struct AuditRecord: Codable, Sendable, Equatable {
    /// UTC time, ISO 8601.
    public var time: String
    /// The run this belongs to (also the name of its credentials file).
    public var run: String
    /// `run-start`, `write`, `run-end`, `revoke`, `restore`, `handover`, …
    public var event: String
    /// The plan action (`create`, `unlink`, …) for a write.
    public var action: String?
    public var dn: String?
    public var pupil: String?
    public var reasons: [String]?
    /// `ok`, or the failure's LDAP result code name.
    public var result: String?
    public var message: String?
    /// The attributes changed and how, as `kind:attribute` (`add:misChildRef`) → values (never a password).
    public var changes: [String: [String]]?
    /// The LDAP operation of a write: `add`, `modify` or `delete` (what `undo` reverses).
    public var operation: String?
    /// For `undo`: the values before the write of each attribute a modify touched, and every managed
    /// attribute of an entry a delete removed. Never a password (ldap-sync never reads one).
    public var before: [String: [String]]?

    public init(
        time: String, run: String, event: String, action: String? = nil, dn: String? = nil, pupil: String? = nil,
        reasons: [String]? = nil, result: String? = nil, message: String? = nil, changes: [String: [String]]? = nil,
        operation: String? = nil, before: [String: [String]]? = nil
    ) {
        self.time = time
        self.run = run
        self.event = event
        self.action = action
        self.dn = dn
        self.pupil = pupil
        self.reasons = reasons
        self.result = result
        self.message = message
        self.changes = changes
        self.operation = operation
        self.before = before
    }
}

/// The audit log: JSON lines appended to `state_dir/audit.jsonl`. Each line is handed to the kernel as it
/// is written, so a run killed half-way still has every write it made on record; `synchronize()` (after each
/// batch and at the end of a run) also puts them on disk against a power cut, without an fsync per line,
/// which would cost as much as the directory writes themselves.
public final class AuditLog: @unchecked Sendable {
    public let path: String
    private let handle: FileHandle
    private let lock = NSLock()

    public init(stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        path = (stateDirectory as NSString).appendingPathComponent("audit.jsonl")
        if !FileManager.default.fileExists(atPath: path) {
            // Who could see which child, and when, is personal data: owner only.
            // A failure here shows as the FileHandle below failing to open, with the path.
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    /// Appends one record as one line (`JSONEncoder`'s bytes with sorted keys and unescaped slashes,
    /// written by `AuditRecord.jsonBytes`).
    public func append(_ record: AuditRecord) throws {
        var line = record.jsonBytes()
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: line)
    }

    /// Forces what was appended onto the disk.
    public func synchronize() throws {
        lock.lock()
        defer { lock.unlock() }
        try handle.synchronize()
    }

    /// Every record in the log at `path`, oldest first. A torn last line (a run killed mid-write) is skipped.
    public static func read(stateDirectory: String) throws -> [AuditRecord] {
        let path = (stateDirectory as NSString).appendingPathComponent("audit.jsonl")
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(AuditRecord.self, from: Data($0)) }
    }
}
