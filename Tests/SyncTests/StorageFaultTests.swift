import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The state or credentials folder cannot take what a run must write (read-only, or the disk full):
/// no account is created whose first password could not be stored. The folders are small tmpfs mounts
/// (the tests run as root, which file modes do not stop); where mounting is not allowed, they are off.
@Suite(.enabled(if: TinyMount.available, "needs mount -t tmpfs (root with CAP_SYS_ADMIN)"))
struct StorageFaultTests {
    @Test func fullCredentialsFolderCreatesNoAccountAndSaysWhy() async throws {
        try await withSlapd { server in
            try await expectNoAccount(server, families: 5, folder: "credentials", status: 1, says: [
                "cannot store first passwords in", "No space left on device",
            ]) { mount, site in
                try mount.fill(leavingKilobytes: 4)
                return {
                    // Room again: the next run creates them all, each with its password on disk.
                    try mount.emptyFiller()
                    let next = try site.cli("apply")
                    #expect(next.status == 0, "\(next.standardError)")
                    #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").count == 5)
                }
            }
        }
    }

    @Test func readOnlyCredentialsFolderCreatesNoAccount() async throws {
        try await withSlapd { server in
            try await expectNoAccount(server, families: 3, folder: "credentials", status: 1, says: ["cannot store first passwords in"]) { mount, _ in
                try mount.makeReadOnly()
                return nil
            }
        }
    }

    @Test func fullStateFolderCreatesNoAccount() async throws {
        try await withSlapd { server in
            try await expectNoAccount(server, families: 20, folder: "state", status: 1, says: [
                "cannot store the password journal and audit log in",
            ]) { mount, _ in
                try mount.fill(leavingKilobytes: 16)
                return nil
            }
        }
    }

    @Test func readOnlyStateFolderStopsBeforeAnyWrite() async throws {
        try await withSlapd { server in
            try await expectNoAccount(server, families: 3, folder: "state", status: 2, says: ["Read-only file system"]) { mount, _ in
                try mount.makeReadOnly()
                return nil
            }
        }
    }

    /// A site of `families` families whose `folder` is a tiny tmpfs that `breaking` fills or makes
    /// read-only: `apply` exits `status`, says each of `says` (a message naming the folder, where it
    /// names one) and creates no account. What `breaking` returns runs afterwards, mount still in place.
    func expectNoAccount(
        _ server: SlapdServer, families: Int, folder: String, status: Int32, says: [String],
        breaking: (TinyMount, SyncSite) throws -> (() async throws -> Void)?
    ) async throws {
        let site = try SyncSite(server: server)
        defer { site.remove() }
        try site.write(Families.export(families))
        let mount = try TinyMount(at: site.folder.file(folder), kilobytes: 64)
        defer { mount.remove() }
        let afterwards = try breaking(mount, site)

        let apply = try site.cli("apply")
        #expect(apply.status == status, "\(apply.standardError)")
        for words in says {
            let expected = words.hasSuffix(" in") ? "\(words) \(site.folder.file(folder))" : words
            #expect(apply.standardError.contains(expected), "\(apply.standardError)")
        }
        #expect(try await DirectoryInspector(server: server).parentsByContact("5301234").isEmpty, "no account without a stored password")
        try await afterwards?()
    }
}

/// A small tmpfs mounted over a folder of a test site.
struct TinyMount {
    let path: String

    /// Whether this process may mount (root with CAP_SYS_ADMIN, outside a locked-down container).
    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let probe = NSTemporaryDirectory() + "ldap-sync-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe])) == 0 else { return false }
        _ = try? run("/bin/umount", [probe])
        return true
    }()

    init(at path: String, kilobytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", path]) == 0 else {
            throw POSIXError(.EPERM)
        }
    }

    var filler: String { path + "/filler" }

    /// Fills the mount with one file until about `kilobytes` are left.
    func fill(leavingKilobytes kilobytes: Int) throws {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw POSIXError(.EIO) }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        let size = max(0, free - kilobytes * 1024)
        guard FileManager.default.createFile(atPath: filler, contents: Data(count: size)) else { throw POSIXError(.ENOSPC) }
    }

    func emptyFiller() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    func makeReadOnly() throws {
        guard try Self.run("/bin/mount", ["-o", "remount,ro", path]) == 0 else { throw POSIXError(.EPERM) }
    }

    func remove() {
        _ = try? Self.run("/bin/umount", [path])
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
