import Foundation
import Reconcile
import Roster

/// `ldap-sync dedupe`: reads the config and every source, resolves who is who and who may hold an
/// account, and returns the report. No directory is needed, and nothing is written.
public enum DedupeRun {
    /// - Parameter date: the day of the run, for "on roll".
    public static func report(configPath: String, on date: CalendarDate) throws -> DedupeReport {
        let config = try ConfigLoader.load(path: configPath)
        let sources = try readSources(config.sources)
        let overrides = try config.dedupe.overrides.map(readOverrides) ?? []
        let policy = EligibilityPolicy(config.policy)
        let resolution = ParentResolver.resolve(
            sources.enumerated().map { index, source in
                // Two entries may name the same path; the position keeps them distinct sources.
                RosterSource(name: "\(index + 1):\(source.config.pathAsWritten)", roster: source.roster)
            },
            policy: policy, overrides: overrides, on: date)

        var schoolNames: [String: String] = [:]
        var schoolOfFile: [String: String] = [:]
        for source in sources {
            for pupil in source.roster.pupils {
                let school = pupil.reference.schoolID
                if let name = pupil.schoolName ?? source.config.schoolName, schoolNames[school] == nil {
                    schoolNames[school] = name
                }
                if schoolOfFile[pupil.origin.file] == nil { schoolOfFile[pupil.origin.file] = school }
            }
        }
        return DedupeReport(
            resolution: resolution, sourceWarnings: sources.flatMap(\.roster.warnings), schoolNames: schoolNames,
            schoolOfFile: schoolOfFile, recordCount: sources.reduce(0) { $0 + $1.roster.contacts.count }, date: date,
            jurisdiction: policy.jurisdiction)
    }

    /// One source read: its config entry and what it holds.
    struct LoadedSource {
        var config: SourceConfig
        var roster: Roster
    }

    /// Every source with `SourceReader`. A source that cannot be read does not stop the others being
    /// read, so one run shows every problem; then they are thrown together (exit 2).
    static func readSources(_ sources: [SourceConfig]) throws(SourceErrors) -> [LoadedSource] {
        var loaded: [LoadedSource] = []
        var failures: [RosterErrors] = []
        for source in sources {
            switch SourceReader.read(source) {
            case .success(let roster): loaded.append(LoadedSource(config: source, roster: roster))
            case .failure(let errors): failures.append(errors)
            }
        }
        guard failures.isEmpty else { throw SourceErrors(failures: failures) }
        return loaded
    }

    static func readOverrides(_ path: String) throws -> [DedupeOverride] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DedupeOverridesError(problems: [.init(file: path, line: nil,
                message: "cannot read the dedupe overrides file (dedupe.overrides)")])
        }
        return try DedupeOverridesFile.parse([UInt8](data), name: path)
    }
}

/// Every source that could not be read, each with its errors (file, line and column).
public struct SourceErrors: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var failures: [RosterErrors]

    public var exitStatus: ExitStatus { .inputError }

    public var description: String { failures.map(\.description).joined(separator: "\n") }
}
