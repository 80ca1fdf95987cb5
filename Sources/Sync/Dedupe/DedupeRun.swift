import Foundation
import Reconcile
import Roster

/// `ldap-sync dedupe`: reads the config and every source, resolves who is who and who may hold an
/// account, and returns the report. No directory is needed, and nothing is written.
public enum DedupeRun {
    /// - Parameter date: the day of the run, for "on roll".
    public static func report(configPath: String, on date: CalendarDate) throws -> DedupeReport {
        let config = try ConfigLoader.load(path: configPath)
        let set = SourceSet.read(config.sources)
        try set.requireAllReadable()
        let sources = set.readable
        let overrides = try DedupeOverridesFile.load(config.dedupe.overrides)
        // The school's rules too (those naming a parent by username need the directory, which dedupe
        // does not read; those naming a contact apply).
        let policy = try config.eligibilityPolicy()
        let resolution = ParentResolver.resolve(set.rosterSources, policy: policy, overrides: overrides, on: date)

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
}
