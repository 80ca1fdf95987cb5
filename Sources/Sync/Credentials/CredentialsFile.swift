import Foundation

/// One new or reissued account's first credentials, as the school hands them to a parent.
public struct CredentialsRow: Sendable, Equatable {
    public var dn: String
    public var username: String
    public var givenName: String
    public var familyName: String
    public var email: String
    public var initialPassword: String
    /// The children the account sees, as `<school>/<pupil>` references.
    public var children: [String]

    public init(dn: String, username: String, givenName: String, familyName: String, email: String, initialPassword: String, children: [String]) {
        self.dn = dn
        self.username = username
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
        self.initialPassword = initialPassword
        self.children = children
    }
}

/// `credentials_dir/<UTC time>-<command>.csv` (DESIGN.md Part B): mode 0600 in a 0700 folder, created
/// once (never over an existing file) and appended to as accounts get their first passwords, so that a run
/// stopped part-way still has on disk every password it set. The columns only grow.
public final class CredentialsWriter {
    public static let columns = ["dn", "username", "given_name", "family_name", "email", "initial_password", "children"]

    public let path: String
    private let handle: FileHandle

    /// Creates the file with its header, never over an existing one.
    public init(directory: String, command: String, at time: Date) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // An existing folder may have been made by hand with wider rights: first passwords are in here.
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        // Two runs in the same second (a revoke right after an apply) must not lose each other's
        // passwords: the second file gets a counter rather than failing after its accounts exist.
        var candidate = ""
        var descriptor: Int32 = -1
        for attempt in 1...100 {
            let suffix = attempt == 1 ? "" : "-\(attempt)"
            candidate = (directory as NSString).appendingPathComponent("\(Self.fileStamp(time))-\(command)\(suffix).csv")
            descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        path = candidate
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try write(Self.columns.joined(separator: ",") + "\r\n")
    }

    /// Appends rows and flushes them to disk.
    public func append(_ rows: [CredentialsRow]) throws {
        var text = ""
        for row in rows {
            let fields = [row.dn, row.username, row.givenName, row.familyName, row.email, row.initialPassword, row.children.joined(separator: " ")]
            text += fields.map(Self.quoted).joined(separator: ",") + "\r\n"
        }
        try write(text)
    }

    private func write(_ text: String) throws {
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }

    /// `20261129T131500Z`: sorts by time, and has no `:` (awkward in file names on some systems).
    static func fileStamp(_ time: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: time)
    }

    /// RFC 4180 quoting, plus a leading `'` for values a spreadsheet would run as a formula.
    static func quoted(_ value: String) -> String {
        // ASCII with nothing to quote or guard (nearly every value) is itself: no Character-wise scan.
        if let first = value.utf8.first, !"=+-@".utf8.contains(first),
            value.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\"") && $0 != 0x0D && $0 != 0x0A })
        {
            return value
        }
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
