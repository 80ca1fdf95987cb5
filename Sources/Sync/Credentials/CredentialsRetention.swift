import Foundation

/// Deletes first-password files and letters once `accounts.credentials_retention_days` have passed (UK
/// GDPR: a first password has no use once handed over). Run at the start of every command that writes
/// credentials. Only files named as ldap-sync names them (`<UTC time>-<command>[-n].csv|.html`) are
/// touched, and their age is the time in their name, which copying or touching the file cannot change.
public enum CredentialsRetention {
    /// Deletes what is due in `directory` as of `now`; returns the paths deleted. A missing folder is
    /// nothing to do.
    @discardableResult
    public static func sweep(directory: String, days: Int, now: Date) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let cutoff = now.addingTimeInterval(-Double(max(days, 0)) * 86_400)
        var deleted: [String] = []
        for name in names.sorted() {
            guard name.hasSuffix(".csv") || name.hasSuffix(".html"), let written = writtenAt(name), written <= cutoff else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            try FileManager.default.removeItem(atPath: path)
            deleted.append(path)
        }
        return deleted
    }

    /// The time in a credentials file's name (`20261129T131500Z-apply.csv`), nil for any other name.
    static func writtenAt(_ name: String) -> Date? {
        let stamp = String(name.prefix(16))
        guard name.count > 17, name.dropFirst(16).first == "-" else { return nil }
        return Timestamp.date(fileStamp: stamp)
    }
}
