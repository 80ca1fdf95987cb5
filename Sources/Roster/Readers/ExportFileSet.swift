import Foundation
import ZIPFoundation

/// The files of a OneRoster or SDS export: a folder, or a `.zip` holding them at its root or inside
/// one folder. Files are found by name, ignoring case.
struct ExportFileSet {
    private enum Storage {
        case folder(URL)
        case zip(Archive, entries: [String: Entry])
    }

    private let storage: Storage
    /// The path as the config named it, for messages.
    let displayName: String

    init(path: String, displayName: String) throws(RosterError) {
        self.displayName = displayName
        let location = SourceLocation(file: displayName)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RosterError(.unreadable(reason: "no such folder or zip"), at: location)
        }
        if isDirectory.boolValue {
            storage = .folder(URL(fileURLWithPath: path))
            return
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw RosterError(.unreadable(reason: "not a folder and not a readable zip (\(error))"), at: location)
        }
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            let name = (entry.path as NSString).lastPathComponent.lowercased()
            // macOS's zip adds __MACOSX/._users.csv resource forks: never the real file.
            if entry.path.contains("__MACOSX") || name.hasPrefix("._") { continue }
            if entries[name] == nil { entries[name] = entry }
        }
        storage = .zip(archive, entries: entries)
    }

    /// The name reports show for `file` inside this set (`export.zip:users.csv`, `export/users.csv`).
    func displayName(of file: String) -> String {
        switch storage {
        case .folder: (displayName as NSString).appendingPathComponent(file)
        case .zip: "\(displayName):\(file)"
        }
    }

    /// True when the set holds `file`.
    func contains(_ file: String) -> Bool {
        switch storage {
        case .folder(let url): folderPath(url, file) != nil
        case .zip(_, let entries): entries[file.lowercased()] != nil
        }
    }

    /// The bytes of `file`: streamed from disk for a folder; a zip member is inflated into memory
    /// once (OneRoster and SDS files are read whole into the model anyway).
    func stream(_ file: String) throws(RosterError) -> any ByteStream {
        let location = SourceLocation(file: displayName(of: file))
        switch storage {
        case .folder(let url):
            guard let path = folderPath(url, file) else {
                throw RosterError(.unreadable(reason: "no such file"), at: location)
            }
            return try FileByteStream(path: path, displayName: location.file)
        case .zip(let archive, let entries):
            guard let entry = entries[file.lowercased()] else {
                throw RosterError(.unreadable(reason: "no such file in the zip"), at: location)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, consumer: { bytes.append(contentsOf: $0) })
            } catch {
                throw RosterError(.unreadable(reason: "the zip member cannot be inflated (\(error))"), at: location)
            }
            return MemoryByteStream(bytes)
        }
    }

    private func folderPath(_ folder: URL, _ file: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.first { $0.lowercased() == file.lowercased() }.map { folder.appendingPathComponent($0).path }
    }
}

extension ExportFileSet {
    /// Opens the export at `path` and runs `body` over it with a fresh builder; the roster, or every
    /// error found (an unopenable path among them).
    static func read(
        path: String, displayName: String?, options: ReaderOptions,
        _ body: (ExportFileSet, inout RosterBuilder) -> Void
    ) throws(RosterErrors) -> Roster {
        let name = displayName ?? path
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        do {
            body(try ExportFileSet(path: path, displayName: name), &builder)
        } catch {
            builder.record(error)
        }
        return try builder.finish(source: SourceLocation(file: name))
    }

    /// Reads `file` of this set as a table, recording its errors (a missing file among them) in `builder`.
    func readTable(
        _ file: String, required: [String], _ builder: inout RosterBuilder, row: (CSVTable.Row, inout RosterBuilder) -> Void
    ) {
        do {
            CSVTable.read(try stream(file), name: displayName(of: file), required: required, into: &builder, row: row)
        } catch {
            builder.record(error)
        }
    }
}
