import Foundation
import Roster

/// Reads one configured source with the reader its format names.
public enum SourceReader {
    /// The roster of `source`, or every error found in it.
    public static func read(_ source: SourceConfig) -> Result<Roster, RosterErrors> {
        let options = ReaderOptions(schoolID: source.schoolID, schoolName: source.schoolName)
        let extensions: Set<String> = switch source.format {
        case .csv: ["csv", "txt"]
        case .ctf: ["xml"]
        // A OneRoster or SDS export is a folder (or a zip) in itself.
        case .oneroster, .sds: []
        }
        let paths = SourceFiles.expand(source.path, extensions: extensions)
        guard !paths.isEmpty else {
            let reason = source.format == .csv || source.format == .ctf
                ? "no file matches this path" : "no folder or zip matches this path"
            return .failure(RosterErrors(errors: [
                RosterError(.unreadable(reason: reason), at: SourceLocation(file: source.pathAsWritten)),
            ]))
        }
        let files = paths.map { SourceFile(path: $0, displayName: displayName($0, source)) }
        return Result { () throws(RosterErrors) -> Roster in
            switch source.format {
            case .csv:
                let preset = CSVPreset.all[source.preset] ?? .canonical
                return try CSVReader(preset: preset, columns: source.columns, options: options).read(files)
            case .ctf:
                return try CTFReader(options: options).read(files)
            case .oneroster:
                return try readEach(files) { file throws(RosterErrors) in
                    try OneRosterReader(options: options).read(path: file.path, displayName: file.displayName)
                }
            case .sds:
                return try readEach(files) { file throws(RosterErrors) in
                    try SDSReader(options: options).read(path: file.path, displayName: file.displayName)
                }
            }
        }
    }

    /// Several exports matched by one glob, read one after another; every one's errors are kept.
    private static func readEach(
        _ files: [SourceFile], _ read: (SourceFile) throws(RosterErrors) -> Roster
    ) throws(RosterErrors) -> Roster {
        var roster = Roster()
        var failure: RosterErrors?
        for file in files {
            do {
                roster.append(contentsOf: try read(file))
            } catch {
                failure = RosterErrors(
                    errors: (failure?.errors ?? []) + error.errors,
                    truncated: (failure?.truncated ?? false) || error.truncated,
                    warnings: (failure?.warnings ?? []) + error.warnings)
            }
        }
        if let failure { throw failure }
        return roster
    }

    /// The file as the config wrote it: the path itself when it named one file, else the folder or the
    /// glob's folder as written, with the file's name.
    private static func displayName(_ path: String, _ source: SourceConfig) -> String {
        if path == source.path { return source.pathAsWritten }
        let name = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        let namedFolder = FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let folder = namedFolder ? source.pathAsWritten : (source.pathAsWritten as NSString).deletingLastPathComponent
        return folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
    }
}
