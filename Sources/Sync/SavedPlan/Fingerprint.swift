import Crypto
import Directory
import Foundation

/// SHA-256 fingerprints that tell whether a saved plan still describes the world (`apply --plan` exits 6
/// when either changed).
public enum Fingerprint {
    /// The bytes of every file of every source, in config order (a folder's files in name order), and of
    /// the school's policy files (a restriction recorded by `revoke` makes an older plan stale).
    public static func sources(_ sources: [SourceConfig], policyFiles: [String] = []) -> String {
        var hash = SHA256()
        for path in policyFiles {
            hash.update(data: Data("policy \(path)\n".utf8))
            if let data = FileManager.default.contents(atPath: path) { hash.update(data: data) }
        }
        for source in sources {
            hash.update(data: Data("source \(source.format.rawValue) \(source.pathAsWritten)\n".utf8))
            for path in files(under: SourceFiles.expand(source.path, extensions: [])) {
                hash.update(data: Data("file \(path)\n".utf8))
                if let data = FileManager.default.contents(atPath: path) { hash.update(data: data) }
            }
        }
        return hex(hash.finalize())
    }

    /// The managed attributes of the managed entries, the usernames taken in `username_scope`, the role
    /// group's members and the pupils' match values. Operational attributes (`modifyTimestamp`, `pwdFailureTime`, …) are never read, so a parent
    /// logging in does not make a plan stale.
    public static func directory(_ snapshot: DirectorySnapshot) -> String {
        var hash = SHA256()
        for entry in snapshot.managedParents.sorted(by: { $0.dn.lowercased() < $1.dn.lowercased() }) {
            hash.update(data: Data("entry \(entry.dn.lowercased())\n".utf8))
            for attribute in entry.attributes.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
                for value in attribute.strings.sorted() {
                    hash.update(data: Data("\(attribute.name.lowercased()): \(value)\n".utf8))
                }
            }
        }
        // Every uid a new username must avoid, not only those under parents_base: a uid given to staff
        // after the plan was saved would otherwise be handed out a second time by `apply --plan`.
        for uid in snapshot.unmanagedUsernames.union(snapshot.takenUsernames).sorted() { hash.update(data: Data("taken \(uid)\n".utf8)) }
        for (value, dn) in snapshot.pupilDNs.sorted(by: { $0.key < $1.key }) { hash.update(data: Data("pupil \(value) \(dn.lowercased())\n".utf8)) }
        if let group = snapshot.roleGroup {
            hash.update(data: Data("group \(group.dn.lowercased()) \(group.exists)\n".utf8))
            for member in group.members.map({ $0.lowercased() }).sorted() { hash.update(data: Data("member \(member)\n".utf8)) }
        }
        return hex(hash.finalize())
    }

    /// Files themselves, and every regular file below folders, sorted.
    static func files(under paths: [String]) -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let names = (manager.subpaths(atPath: path) ?? []).sorted()
                for name in names {
                    let full = (path as NSString).appendingPathComponent(name)
                    var nested: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &nested), !nested.boolValue { found.append(full) }
                }
            } else {
                found.append(path)
            }
        }
        return found
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
