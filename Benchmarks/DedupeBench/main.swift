// dedupe-bench: the quality and the speed of identity resolution on a synthetic local authority
// (issue 4, "Measure"). Build in release: `swift build -c release --product dedupe-bench`.
//
//   dedupe-bench [--quality-pupils N] [--speed-pupils N] [--seed S] [--skip-speed] [--dump FILE]
//
// `--dump FILE` writes the speed run's whole result (every parent, near miss, warning and username,
// in order) to FILE after the timings, to check that a faster build gives the very same output.
import Foundation
import Reconcile
import Roster
import SyntheticAuthority

struct Options {
    var qualityPupils = 60_000
    var speedPupils = 600_000
    var seed: UInt64 = 4
    var skipSpeed = false
    var explainMisses = 0
    var dump: String?

    init(_ arguments: [String]) {
        var rest = arguments.makeIterator()
        while let argument = rest.next() {
            switch argument {
            case "--quality-pupils": qualityPupils = Int(rest.next() ?? "") ?? qualityPupils
            case "--speed-pupils": speedPupils = Int(rest.next() ?? "") ?? speedPupils
            case "--seed": seed = UInt64(rest.next() ?? "") ?? seed
            case "--skip-speed": skipSpeed = true
            case "--explain-misses": explainMisses = Int(rest.next() ?? "") ?? 10
            case "--dump": dump = rest.next()
            default:
                FileHandle.standardError.write(Data("dedupe-bench: unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

/// Pairwise precision and recall of a clustering against the truth: over all pairs of records, a pair
/// the clustering puts together is right when the truth does too.
struct PairwiseQuality {
    var precision: Double
    var recall: Double

    init(cluster: [String: String], truth: [String: Int]) {
        var cells: [String: [Int: Int]] = [:]
        var truthSizes: [Int: Int] = [:]
        for (record, person) in truth {
            cells[cluster[record] ?? record, default: [:]][person, default: 0] += 1
            truthSizes[person, default: 0] += 1
        }
        func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        var together = 0.0, predicted = 0.0
        for row in cells.values {
            predicted += pairs(row.values.reduce(0, +))
            together += row.values.reduce(0.0) { $0 + pairs($1) }
        }
        let actual = truthSizes.values.reduce(0.0) { $0 + pairs($1) }
        precision = predicted == 0 ? 1 : together / predicted
        recall = actual == 0 ? 1 : together / actual
    }
}

/// Union-find by a key, for the naive baselines.
func clusterBy(_ keys: [(record: String, keys: [String])]) -> [String: String] {
    var parent: [String: String] = [:]
    func find(_ x: String) -> String {
        var root = x
        while let p = parent[root], p != root { root = p }
        return root
    }
    var owner: [String: String] = [:]
    for (record, recordKeys) in keys {
        parent[record] = parent[record] ?? record
        for key in recordKeys {
            if let other = owner[key] {
                let (a, b) = (find(record), find(other))
                if a != b { parent[a] = b }
            } else {
                owner[key] = record
            }
        }
    }
    return Dictionary(uniqueKeysWithValues: parent.keys.map { ($0, find($0)) })
}

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}

/// CPU seconds this process has used: on a machine others share, wall time overstates our cost.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Wall seconds and CPU seconds of `body`.
func seconds(_ body: () -> Void) -> (wall: Double, cpu: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuSeconds()
    body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds() - cpuStart)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let today = CalendarDate(year: 2026, month: 11, day: 29)!

func sources(_ authority: SyntheticAuthority) -> [RosterSource] {
    authority.sources.map { RosterSource(name: $0.name, roster: $0.roster) }
}

// Quality. In a function, so that its authority and results are freed before the speed run: the
// peak memory measured there is the speed run's own.
func measureQuality() {
let authority = SyntheticAuthority.generate(GeneratorSettings(pupils: options.qualityPupils, seed: options.seed))
print("synthetic authority: \(authority.sources.count) schools, \(options.qualityPupils) pupils, "
    + "\(authority.recordCount) contact records, \(authority.people) people (seed \(options.seed))")
let resolution = ParentResolver.resolve(sources(authority), policy: EligibilityPolicy(), on: today)
var ours: [String: String] = [:]
for parent in resolution.parents { for record in parent.records { ours[record.description] = parent.id } }
let contacts = authority.sources.flatMap(\.roster.contacts)
let byContactID = clusterBy(contacts.map { contact in
    let keys: [String] = if case .contactID = contact.reference.key { [contact.reference.description] } else { [] }
    return (contact.reference.description, keys)
})
let byEmail = clusterBy(contacts.map { ($0.reference.description, $0.emails.compactMap(\.normalised)) })
print("")
print("pairwise quality          precision   recall")
for (name, clustering) in [("ldap-sync dedupe", ours), ("contact id only", byContactID), ("e-mail only", byEmail)] {
    let quality = PairwiseQuality(cluster: clustering, truth: authority.personOfRecord)
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0)
        + String(format: "  %9.5f  %7.5f", quality.precision, quality.recall))
}
print("people found: \(resolution.parents.count) (truth \(authority.people))")
let missReasons = Dictionary(grouping: resolution.nearMisses, by: \.reason).mapValues(\.count)
print("near misses: \(resolution.nearMisses.count) "
    + "\(missReasons.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" })")
let warningCodes = Dictionary(grouping: resolution.warnings, by: \.code).mapValues(\.count)
print("warnings: \(resolution.warnings.count) "
    + "\(warningCodes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" })")

// A few records the resolver kept apart although they are one person, and a few it wrongly joined.
if options.explainMisses > 0 {
    let contactByReference = Dictionary(contacts.map { ($0.reference.description, $0) }, uniquingKeysWith: { a, _ in a })
    func show(_ reference: String) -> String {
        guard let c = contactByReference[reference] else { return reference }
        return "\(reference) \(c.name.title ?? "") \(c.name.given ?? "") \(c.name.family) "
            + "\(c.emails.compactMap(\.normalised)) \(c.phones.compactMap(\.e164)) \(c.address?.lines.first ?? "-") "
            + "\(c.address?.normalisedPostcode ?? "-")"
    }
    var byPerson: [Int: [String]] = [:]
    for (record, person) in authority.personOfRecord { byPerson[person, default: []].append(record) }
    var shown = 0
    for (_, records) in byPerson.sorted(by: { $0.key < $1.key }) where Set(records.map { ours[$0] }).count > 1 {
        print("missed: " + records.sorted().map(show).joined(separator: "\n        "))
        shown += 1
        if shown == options.explainMisses { break }
    }
    shown = 0
    for parent in resolution.parents where Set(parent.records.map { authority.personOfRecord[$0.description] }).count > 1 {
        print("wrongly joined (\(parent.matchedOn)): " + parent.records.map { show($0.description) }.joined(separator: "\n        "))
        shown += 1
        if shown == options.explainMisses { break }
    }
}

}
measureQuality()

// Speed.
if !options.skipSpeed {
    // Without the ground truth: only quality needs it, and it is a million more strings.
    var settings = GeneratorSettings(pupils: options.speedPupils, seed: options.seed + 1)
    settings.keepsTruth = false
    let large = SyntheticAuthority.generate(settings)
    let largeSources = sources(large)
    let before = peakResidentMegabytes()
    print("")
    print("speed: \(large.recordCount) contact records, \(options.speedPupils) pupils; "
        + String(format: "peak memory after generating: %.0f MB", before))
    // The stages alone, to see where the time goes; the total below is what a run pays.
    var identityRecords: [IdentityRecord] = []
    identityRecords.reserveCapacity(large.recordCount)
    let adapterTime = seconds {
        for source in largeSources {
            var linksByContact: [ContactReference: [ContactLink]] = [:]
            for link in source.roster.links { linksByContact[link.contact, default: []].append(link) }
            for contact in source.roster.contacts {
                identityRecords.append(IdentityRecord(contact: contact, links: linksByContact[contact.reference] ?? [], source: source.name))
            }
        }
    }
    var clustered = 0
    let clusteringTime = seconds { clustered = IdentityResolver.resolve(identityRecords).persons.count }
    identityRecords = []
    print(String(format: "  stage: identity records from the roster %.2f s (cpu %.2f s); clustering %.2f s (cpu %.2f s; %d people)",
                 adapterTime.wall, adapterTime.cpu, clusteringTime.wall, clusteringTime.cpu, clustered))
    var parents: [Parent] = []
    var resolution: ParentResolution?
    let resolveTime = seconds {
        resolution = ParentResolver.resolve(largeSources, policy: EligibilityPolicy(), on: today)
        parents = resolution!.parents
    }
    var allocator = try! UsernameAllocator(
        template: UsernameTemplate("{given}.{family}"), maxLength: 20, unavailable: [String]())
    var issued = 0
    var usernames: [String] = []
    usernames.reserveCapacity(parents.count)
    let usernameTime = seconds {
        for parent in parents where parent.isEligible {
            usernames.append(allocator.allocate(given: parent.givenName, family: parent.familyName, email: parent.email))
            issued += 1
        }
    }
    print(String(format: "clustering + eligibility: %.2f s wall, %.2f s cpu (%d people)", resolveTime.wall, resolveTime.cpu, parents.count))
    print(String(format: "usernames: %.2f s wall, %.2f s cpu (%d issued)", usernameTime.wall, usernameTime.cpu, issued))
    print(String(format: "total: %.2f s wall, %.2f s cpu; peak resident memory: %.0f MB",
                 resolveTime.wall + usernameTime.wall, resolveTime.cpu + usernameTime.cpu, peakResidentMegabytes()))
    if let path = options.dump, let resolution {
        // One line per value, so two dumps can be compared with diff.
        var text = ""
        for parent in resolution.parents { text += "\(parent)\n" }
        for miss in resolution.nearMisses { text += "\(miss)\n" }
        for warning in resolution.warnings { text += "\(warning)\n" }
        for username in usernames { text += username + "\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
