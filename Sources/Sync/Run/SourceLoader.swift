import Foundation
import Roster

/// Reads the sources a config lists, each with the reader its format names.
public enum SourceLoader {
    /// One source read: its config entry and what it holds.
    public struct LoadedSource: Sendable {
        public var config: SourceConfig
        public var roster: Roster
    }

    /// Every source, in config order. A source that cannot be read does not stop the others being
    /// read, so one run shows every problem; then all the problems are thrown together.
    public static func loadAll(_ sources: [SourceConfig]) throws(SourceErrors) -> [LoadedSource] {
        var loaded: [LoadedSource] = []
        var failures: [RosterErrors] = []
        for source in sources {
            do {
                loaded.append(LoadedSource(config: source, roster: try load(source)))
            } catch {
                failures.append(error)
            }
        }
        guard failures.isEmpty else { throw SourceErrors(failures: failures) }
        return loaded
    }

    /// One source.
    public static func load(_ source: SourceConfig) throws(RosterErrors) -> Roster {
        let options = ReaderOptions(schoolID: source.schoolID, schoolName: source.schoolName)
        switch source.format {
        case .csv:
            guard let preset = CSVPreset.all[source.preset] else {
                let known = CSVPreset.all.keys.sorted().joined(separator: ", ")
                throw RosterErrors(errors: [RosterError(
                    .unsupported(reason: "unknown CSV preset \"\(source.preset)\"; known presets: \(known)"),
                    at: SourceLocation(file: source.pathAsWritten))])
            }
            return try CSVReader(preset: preset, columns: source.columns, options: options)
                .read(try files(source, extensions: ["csv", "txt"]))
        case .ctf:
            return try CTFReader(options: options).read(try files(source, extensions: ["xml"]))
        case .oneroster:
            return try OneRosterReader(options: options).read(path: source.path, displayName: source.pathAsWritten)
        case .sds:
            return try SDSReader(options: options).read(path: source.path, displayName: source.pathAsWritten)
        }
    }

    /// The files of a file-based source: the file itself, every file with one of `extensions` in a
    /// folder, or every match of a glob, in name order so that runs read them the same way.
    static func files(_ source: SourceConfig, extensions: Set<String>) throws(RosterErrors) -> [SourceFile] {
        let path = source.path
        var isDirectory: ObjCBool = false
        let paths: [String]
        if path.contains(where: { "*?[".contains($0) }) {
            paths = glob(path)
        } else if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            paths = names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        } else {
            // A single file; a missing one is reported by the reader with its name.
            paths = [path]
        }
        guard !paths.isEmpty else {
            throw RosterErrors(errors: [RosterError(
                .unreadable(reason: "no file matches (looked for \(extensions.sorted().joined(separator: ", ")) files)"),
                at: SourceLocation(file: source.pathAsWritten))])
        }
        // Each file is shown as the config would have written it: the folder or the glob's folder as
        // written, and the file's name.
        let shownFolder = isDirectory.boolValue
            ? source.pathAsWritten : (source.pathAsWritten as NSString).deletingLastPathComponent
        return paths.map { file in
            let shown = file == source.path
                ? source.pathAsWritten
                : (shownFolder as NSString).appendingPathComponent((file as NSString).lastPathComponent)
            return SourceFile(path: file, displayName: shown)
        }
    }

    /// The paths matching a shell pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Foundation.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }.sorted()
    }
}

/// Every source that could not be read, each with its errors (file, line and column).
public struct SourceErrors: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var failures: [RosterErrors]

    public var exitStatus: ExitStatus { .inputError }

    public var description: String { failures.map(\.description).joined(separator: "\n") }
}
