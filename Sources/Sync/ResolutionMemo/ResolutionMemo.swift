import Crypto
import Foundation
import Roster

/// The last `apply`'s resolution, kept in `state_dir/resolution-memo` under the digest of everything it
/// was worked out from: the export files' bytes, the policy files' and dedupe overrides' bytes, the config
/// (its file and the parts resolution reads), the run's date and the program itself. An `apply` whose
/// inputs are all the same takes the people from here instead of resolving them again (at a local
/// authority, a second and a half of a run): schedules run hourly while the MIS exports nightly.
///
/// Only a whole memo made from identical inputs is used. Any changed byte of any export — a court order
/// recorded, a contact removed — changes the digest, and the run resolves afresh, so a revocation is
/// never missed by reusing a resolution. A memo is stored only when no input file changed (size, times,
/// inode), appeared or went between the digest and the end of resolution, so it never holds one version's
/// resolution under another's digest. The file is checked by a checksum; a damaged one is resolved afresh and replaced.
///
/// The file: the magic, the 32-byte key, the body (`MemoPeople`), then the body's SHA-256 and its length
/// (8 bytes, little-endian).
struct ResolutionMemo: Sendable {
    static let name = "resolution-memo"
    static let magic = Array("ldap-sync resolution memo 1\n".utf8)

    /// What a run's memo is made of, taken before the sources are read: the input files' stamps (cheap),
    /// so that a file changed during the read is seen by `store`.
    struct Inputs: Sendable {
        let config: Config
        let today: CalendarDate
        let program: FileStamp
        let files: [String]
        let stamps: [FileStamp]

        /// nil when the program's own file cannot be found (its identity is part of the key): every run
        /// then resolves.
        init?(config: Config, today: CalendarDate) {
            guard let program = FileStamp.program else { return nil }
            self.config = config
            self.today = today
            self.program = program
            files = ResolutionMemo.inputFiles(config)
            stamps = files.map(FileStamp.init(path:))
        }

        /// Whether the input files are those there were when the inputs were taken (none added to a source's
        /// folder or pattern, none gone), each as it was.
        var unchanged: Bool { ResolutionMemo.inputFiles(config) == files && files.map(FileStamp.init(path:)) == stamps }
    }

    let inputs: Inputs
    let path: String
    /// SHA-256 of every input (reads them all: the exports are tens of megabytes at a local authority).
    let key: [UInt8]

    init(_ inputs: Inputs) {
        self.inputs = inputs
        let config = inputs.config
        path = (config.stateDir as NSString).appendingPathComponent(Self.name)
        var hash = SHA256()
        func add(_ text: String) { hash.update(data: Data(text.utf8)) }
        add(String(decoding: Self.magic, as: UTF8.self))
        add("program \(inputs.program)\n")
        add("date \(inputs.today)\n")
        add("config \(config.file)\n")
        if let data = FileManager.default.contents(atPath: config.file) { hash.update(data: data) }
        add(Self.resolutionSettings(config))
        add("sources \(Fingerprint.sources(config.sources, policyFiles: config.policyFilePaths))\n")
        if let overrides = config.dedupe.overrides {
            add("overrides \(overrides)\n")
            if let data = FileManager.default.contents(atPath: overrides) { hash.update(data: data) }
        }
        key = Array(hash.finalize())
    }

    /// The people as the last `apply` with the same inputs resolved them; nil when there is no memo, it was
    /// made from other inputs, or it is damaged.
    func load() -> SyncRun.People? {
        // The header first: a memo of other inputs (most runs after a change) is not read whole.
        let header = Self.magic + key
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: header.count), Array(start) == header,
            let rest = try? handle.readToEnd()
        else { return nil }
        // The body, then its SHA-256 and length.
        return rest.withUnsafeBytes { bytes -> SyncRun.People? in
            let trailerSize = SHA256.byteCount + 8
            guard bytes.count >= trailerSize else { return nil }
            let trailer = bytes.count - trailerSize
            let body = UnsafeRawBufferPointer(rebasing: bytes[..<trailer])
            let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: trailer + SHA256.byteCount, as: UInt64.self))
            guard length == UInt64(body.count), Array(SHA256.hash(data: body)) == Array(bytes[trailer..<trailer + SHA256.byteCount])
            else { return nil }
            return try? MemoPeople.decode(body)
        }
    }

    /// The memo of `people` as bytes, to be written by `Encoded.write`; nil when an input file changed
    /// since the inputs were taken (the resolution may then be of either version of it).
    ///
    /// `apply` encodes while it writes to the directory and writes the file after its last flush to disk:
    /// a file of some 20 MB written before would be flushed by the next flush of anything on the disk (on
    /// ext4, a file renamed over another is flushed with the next commit), slapd's commits among them, and
    /// slow the run's writes by a second at a local authority.
    func encode(_ people: SyncRun.People) -> Encoded? {
        guard inputs.unchanged else { return nil }
        var pieces = [Self.magic + key]
        var checksum = SHA256()
        var length: UInt64 = 0
        MemoPeople.encode(people) { piece in
            checksum.update(bufferPointer: piece)
            length += UInt64(piece.count)
            pieces.append(Array(piece))
        }
        var trailer = Array(checksum.finalize())
        withUnsafeBytes(of: length.littleEndian) { trailer += $0 }
        pieces.append(trailer)
        return Encoded(path: path, pieces: pieces)
    }

    /// A memo's bytes, in pieces of about a megabyte.
    struct Encoded: Sendable {
        let path: String
        let pieces: [[UInt8]]

        /// Puts the memo in place. A memo that cannot be written costs the next run a resolution, no more:
        /// the failure is not the run's.
        ///
        /// Not flushed to disk before it is renamed into place: after a power cut the checksum refuses what
        /// is left, and a run need not wait for a cache.
        @discardableResult
        func write() -> Bool {
            let written: ()? = try? AtomicFile.replace(path, permissions: 0o600, durable: false) { write in
                for piece in pieces { piece.withUnsafeBytes(write) }
            }
            return written != nil
        }
    }

    /// Every file the key reads: the config, the policy files, the overrides and the sources' files.
    private static func inputFiles(_ config: Config) -> [String] {
        [config.file] + config.policyFilePaths + [config.dedupe.overrides].compactMap { $0 }
            + Fingerprint.files(under: config.sources.flatMap { SourceFiles.expand($0.path, extensions: []) })
    }

    /// The config as resolution reads it, in a form that is the same for the same settings (the source
    /// columns sorted): a config made in code, without a file, is keyed by it too.
    static func resolutionSettings(_ config: Config) -> String {
        var text = ""
        for source in config.sources {
            let columns = source.columns.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: ",")
            text += "source \(source.format.rawValue) \(source.path) \(source.pathAsWritten) \(source.schoolID ?? "-") "
                + "\(source.preset) \(source.schoolName ?? "-") [\(columns)]\n"
        }
        text += "policy \(String(reflecting: config.policy))\n"
        text += "dedupe \(String(reflecting: config.dedupe))\n"
        return text
    }
}

/// What a file is now, without reading it: a change of its bytes changes one of these.
struct FileStamp: Equatable, Sendable, CustomStringConvertible {
    /// -1 when there is no such file.
    var size: Int64 = -1
    var modifiedNanoseconds = 0
    var changedNanoseconds = 0
    var inode: UInt64 = 0

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        size = Int64(info.st_size)
        modifiedNanoseconds = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
        changedNanoseconds = info.st_ctim.tv_sec * 1_000_000_000 + info.st_ctim.tv_nsec
        inode = UInt64(info.st_ino)
    }

    /// The running program's file: a new build of ldap-sync never reads an older build's memo.
    static var program: FileStamp? {
        let stamp = FileStamp(path: "/proc/self/exe")
        return stamp.size < 0 ? nil : stamp
    }

    var description: String { "\(size) \(modifiedNanoseconds) \(changedNanoseconds) \(inode)" }
}
