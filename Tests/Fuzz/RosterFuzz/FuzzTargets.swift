import Foundation
import Roster

/// What one fuzz input is fed to. Each reader must either read the bytes or refuse them with errors that
/// name the file: never crash, hang or trap, whatever the bytes (invalid UTF-8, NUL, huge fields,
/// unbalanced quotes, broken XML, a zip that lies about its sizes).
enum FuzzTarget: String, CaseIterable {
    /// The canonical CSV layout.
    case csv
    /// A CSV preset with other column names (SIMS), through the same tokenizer.
    case sims
    /// CTF XML.
    case ctf
    /// OneRoster: the input is `users.csv`, then (split at each 0x1E byte) `roles.csv`, `orgs.csv` and
    /// `manifest.csv`; an input starting `PK` is written as a zip instead.
    case oneroster

    /// The target named by `LDAP_SYNC_FUZZ_TARGET` (default: csv).
    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["LDAP_SYNC_FUZZ_TARGET"] ?? "csv"
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("unknown LDAP_SYNC_FUZZ_TARGET \(name)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// A scratch folder for the OneRoster files, one per process.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "ldap-sync-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func run(_ bytes: [UInt8]) {
        let options = ReaderOptions(schoolID: "5301234")
        switch self {
        case .csv:
            check(Result { () throws(RosterErrors) in try CSVReader(options: options).read(MemoryByteStream(bytes, chunkSize: 64), name: "fuzz.csv") })
        case .sims:
            check(Result { () throws(RosterErrors) in
                try CSVReader(preset: .sims, options: options).read(MemoryByteStream(bytes, chunkSize: 64), name: "fuzz.csv")
            })
        case .ctf:
            check(Result { () throws(RosterErrors) in try CTFReader(options: options).read(bytes, name: "fuzz.xml") })
        case .oneroster:
            let folder = Self.scratch + "/export"
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: Self.scratch + "/export.zip")
            if bytes.starts(with: [0x50, 0x4B]) {
                // A scratch file the fuzzer cannot write shows as the reader's own error: also a valid outcome.
                _ = FileManager.default.createFile(atPath: Self.scratch + "/export.zip", contents: Data(bytes))
                check(Result { () throws(RosterErrors) in try OneRosterReader(options: options).read(path: Self.scratch + "/export.zip") })
            } else {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let parts = bytes.split(separator: 0x1E, maxSplits: 3, omittingEmptySubsequences: false)
                for (name, part) in zip(["users.csv", "roles.csv", "orgs.csv", "manifest.csv"], parts) {
                    _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(part))
                }
                check(Result { () throws(RosterErrors) in try OneRosterReader(options: options).read(path: folder) })
            }
        }
    }

    /// What a reader gives back must hold together: every error says where, every pupil and link has
    /// its school, and every link's pupil is a pupil of the roster.
    private func check(_ result: Result<Roster, RosterErrors>) {
        switch result {
        case .failure(let errors):
            for error in errors.errors where error.location.file.isEmpty {
                fatalError("an error without a file: \(error)")
            }
        case .success(let roster):
            let pupils = Set(roster.pupils.map(\.reference))
            for link in roster.links where !pupils.contains(link.pupil) {
                fatalError("a link to a pupil the roster does not have: \(link.pupil)")
            }
            for pupil in roster.pupils where pupil.reference.schoolID.isEmpty || pupil.reference.pupilID.isEmpty {
                fatalError("a pupil without a school or id: \(pupil.reference)")
            }
        }
    }
}
