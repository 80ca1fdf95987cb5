import Reconcile
import Roster

extension DedupeReport {
    /// The report for the school office: the counts first, then what to fix in the MIS grouped by
    /// school, then who gets no account and why, in plain words.
    public func text() -> String {
        var out: [String] = []
        let parents = resolution.parents
        let eligible = parents.filter(\.isEligible).count
        let joined = parents.filter { $0.records.count > 1 }.count
        let schools = Set(parents.flatMap { $0.records.map(\.schoolID) })
        out.append("Parents and contacts on \(date)")
        out.append("  \(parents.count) people from \(recordCount) contact records at \(schools.count) "
            + (schools.count == 1 ? "school" : "schools"))
        out.append("  \(eligible) would have an account, \(parents.count - eligible) would not")
        out.append("  \(joined) \(joined == 1 ? "person is" : "people are") listed more than once "
            + "(siblings, several schools) and \(joined == 1 ? "was" : "were") joined")
        out.append("  \(resolution.nearMisses.count) possible duplicates to check, "
            + "\(resolution.warnings.count + sourceWarnings.count) other things to look at")

        let fixes = fixesBySchool()
        if !fixes.isEmpty {
            out.append("")
            out.append("What to fix in the MIS")
            for school in fixes.keys.sorted(by: Self.schoolOrder) {
                out.append("")
                out.append("  \(schoolTitle(school))")
                for line in fixes[school]! { out.append("    - \(line)") }
            }
        }

        let refused = parents.filter { !$0.isEligible }
        if !refused.isEmpty {
            out.append("")
            out.append("People who would have no account")
            for parent in refused {
                let why = parent.reasons.map { $0.description(in: jurisdiction) }.joined(separator: "; ")
                out.append("  - \(parent.displayName) (\(parent.id)): \(why)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Each school's list of fixes; "" holds those that span schools.
    func fixesBySchool() -> [String: [String]] {
        var fixes: [String: [String]] = [:]
        for warning in sourceWarnings {
            let at = warning.location.map { " (\($0))" } ?? ""
            fixes[schoolOf(warning.location?.file), default: []].append(warning.message + at)
        }
        for warning in resolution.warnings {
            fixes[warning.school ?? "", default: []].append(warning.message)
        }
        let people = parentOfRecord
        for nearMiss in resolution.nearMisses {
            let named = nearMiss.records.map { record in
                "\(people[record]?.displayName ?? "someone") (\(record))"
            }
            let line = "check \(named.joined(separator: " and ")): \(nearMiss.reason.description)"
            let schools = Set(nearMiss.records.compactMap { $0.split(separator: "/").first.map(String.init) })
            for school in schools.sorted() { fixes[school, default: []].append(line) }
        }
        return fixes
    }

    /// The school a reader's warning belongs to, through the file it names; "" when the file is not
    /// one school's (a shared OneRoster folder), which groups it with the cross-school items.
    func schoolOf(_ file: String?) -> String {
        file.flatMap { schoolOfFile[$0] } ?? ""
    }

    /// Schools by id, with the items that span schools last.
    static func schoolOrder(_ a: String, _ b: String) -> Bool {
        if a.isEmpty != b.isEmpty { return !a.isEmpty }
        return a < b
    }

    func schoolTitle(_ school: String) -> String {
        if school.isEmpty { return "Across schools, or not tied to one school" }
        if let name = schoolNames[school] { return "\(name) (\(school))" }
        return "School \(school)"
    }
}
