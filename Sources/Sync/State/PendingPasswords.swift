import Foundation

/// A journal of the accounts whose first passwords are being set and not yet written to the credentials
/// file: `state_dir/pending-passwords.txt`, one DN a line, made before a round of passwords is set and
/// removed once the round's rows are on disk. If a run dies in between, the next run finds it and gives
/// those accounts new passwords (and letters), so no account is left with a password nobody was told.
/// It names accounts only: no password is ever written here.
public struct PendingPasswords: Sendable {
    public let path: String

    public init(stateDirectory: String) {
        path = (stateDirectory as NSString).appendingPathComponent("pending-passwords.txt")
    }

    /// The DNs a dead run left, if any.
    public func leftOver() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Records the DNs about to get passwords, on disk before any is set.
    public func begin(_ dns: [String]) throws {
        let data = Data((dns.joined(separator: "\n") + "\n").utf8)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        if let handle = FileHandle(forWritingAtPath: path) {
            try? handle.synchronize()
            try? handle.close()
        }
    }

    /// Adds `dns` to what the journal already names (each DN once, compared without case), keeping both.
    public func add(_ dns: [String]) throws {
        let pending = leftOver()
        let listed = Set(pending.map { $0.lowercased() })
        let new = dns.filter { !listed.contains($0.lowercased()) }
        guard !new.isEmpty else { return }
        try begin(pending + new)
    }

    /// The round's rows are on disk: only `dns` (whose passwords may or may not have been set, because
    /// the answer never came) stay pending; none left removes the journal.
    public func settle(keeping dns: [String]) throws {
        if dns.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
        } else {
            try begin(dns)
        }
    }
}
