import ArgumentParser
import Sync

/// `ldap-sync doctor`: checks the directory the way a VLE's login uses it (Moodle's auth_ldap): every
/// active parent found exactly once and in the role group, every disabled or pending parent not found or
/// locked; `--probe` also tries the lock and what a parent can read. Exits 0 when all is well, 1 when it
/// reports a problem.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the directory as a VLE's login sees it: each problem on one line with its fix.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The configuration file.")
    var config: String

    @Option(help: "The VLE whose setup to check as well (moodle).")
    var vle: VLEName?

    @Option(help: "The VLE's search bases, DN;DN (Moodle's contexts). Default: parents_base.")
    var contexts: String?

    @Option(help: "The VLE's object-class filter (Moodle's objectclass). Default: (&(objectClass=misParent)(misAccountStatus=active)).")
    var objectclass: String?

    @Flag(help: "Search the contexts' whole subtrees (Moodle's search_sub), not one level.")
    var searchSub = false

    @Flag(help: "Create a throwaway parent: show that the lock refuses its bind and what a parent can read; then remove it.")
    var probe = false

    enum VLEName: String, ExpressibleByArgument, CaseIterable {
        case moodle
    }

    func run() async throws {
        global.startLogging()
        try await runMapped {
            let configuration = try ConfigLoader.load(path: config)
            let doctor = Doctor(
                config: configuration, contexts: contexts, objectClass: objectclass, searchSubtree: searchSub, vle: vle?.rawValue, probe: probe)
            let report = try await doctor.run()
            print(report.text, terminator: "")
            return report.allWell ? .success : .writesFailed
        }
    }
}
