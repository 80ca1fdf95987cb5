import Directory
import Reconcile
import Roster
import Testing

@testable import Sync
import TestRandom

/// The apply side's fast paths give what the general code gives.
@Suite struct ApplyFastPathTests {
    static let dns = [
        "uid=ann.o10,ou=Parents,dc=example,dc=org", "UID=Ann.O10,OU=Parents,DC=Example,DC=Org", "cn=Parents,ou=Groups,dc=example,dc=org",
        "uid=a, ou=Parents", "uid=a ,ou=P", "uid= a,ou=P", "uid=a\\,b,ou=P", "uid=a\\2Cb,ou=P", "uid=a+cn=b,ou=P", "cn=b+uid=a,ou=P",
        "uid=#41,ou=P", "uid=a=b,ou=P", "=a,ou=P", "uid=,ou=P", "uid=a,,ou=P", ",uid=a", "uid=a,", "uid", "", "uid=é,ou=P",
        "uid=\"a\",ou=P", "uid=a;ou=P", "uid=a<b>,ou=P", "1.2.3=a,ou=P", "u_d=a,ou=P", "uid=a-b_c.d'e,ou=P", "uid=a\u{0}b,ou=P",
        "uid=a\tb,ou=P", "uid=A%20B,ou=P", "uid=a/b,ou=P", "x-y=1,dc=org",
    ]

    @Test func theGroupKeyIsTheDNsComparisonKey() {
        for dn in Self.dns {
            #expect(GroupWrites.key(dn) == DistinguishedName.comparisonKey(of: dn), "\(dn)")
        }
        #expect(GroupWrites.plainKey("uid=Ann.O10,ou=Parents,dc=example,dc=org") == "uid=ann.o10,ou=parents,dc=example,dc=org")
        #expect(GroupWrites.plainKey("uid=a\\,b,ou=P") == nil, "an escape goes to the parser")
    }

    /// The entries a plan writes to, found first by their DNs as read, are those the keys of every
    /// entry's DN find (the general form), whatever the spelling the plan names them by.
    @Test func theEntriesBeforeAreThoseTheKeysFind() {
        var generator = SeededGenerator(seed: 29)
        // Entries whose DNs compare alike are not in one directory.
        var seen = Set<String>()
        let entries = Self.dns.filter { seen.insert(GroupWrites.key($0)).inserted }.map { Entry(dn: $0, attributes: [Attribute("uid", [$0])]) }
        func spelling(_ dn: String) -> String {
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: dn.uppercased()
            case 1: dn.replacingOccurrences(of: ",", with: ", ")
            default: dn
            }
        }
        for _ in 0..<500 {
            let changes = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                Change(
                    action: [ChangeAction.update, .create, .disable, .delete].randomElement(using: &generator)!,
                    dn: spelling(Self.dns.randomElement(using: &generator)!), parentID: "p", reasons: [], schools: [String](), cause: .routine,
                    modifications: [])
            }
            let plan = Plan(summary: PlanSummary(changes: changes, held: 0, unchanged: 0), changes: changes, held: [], warnings: [], roleGroup: nil)
            let written = Set(changes.filter { $0.action != .create }.map { GroupWrites.key($0.dn) })
            let general = Dictionary(
                entries.filter { written.contains(GroupWrites.key($0.dn)) }.map { (GroupWrites.key($0.dn), $0) }, uniquingKeysWith: { first, _ in first })
            #expect(SyncRun.entriesBefore(plan, ParentEntries(entries)).mapValues(\.dn) == general.mapValues(\.dn), "\(changes.map(\.dn))")
        }
    }

    /// The quoting as it was before the ASCII fast path, for comparison.
    static func quotedByCharacters(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    @Test func credentialsValuesAreQuotedAsBefore() {
        var generator = SeededGenerator(seed: 13)
        let pieces = ["a", "Z", "0", " ", ",", "\"", "\r", "\n", "\r\n", "=", "+", "-", "@", "'", "é", "k7mr-tn4x-h9wd", "S1/P1 S1/P2"]
        for _ in 0..<3000 {
            let value = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(CredentialsWriter.quoted(value) == Self.quotedByCharacters(value), "\(value.debugDescription)")
        }
    }
}

extension ApplyFastPathTests {
    @Test func usernamesByRecordFromTheEntriesAreThePlannersView() {
        let entries = [
            Entry(dn: "uid=ann,ou=P", attributes: [Attribute("uid", ["ann"]), Attribute("misContactRef", ["S1/C1", "S2/P7/2", "S1/C1"])]),
            Entry(dn: "uid=bob,ou=P", attributes: [Attribute("UID", ["bob"]), Attribute("misContactRef", ["S1/C2", "bad", "S3/P1/x", "a/b/c/d"])]),
            Entry(dn: "uid=cy,ou=P", attributes: [Attribute("misContactRef", ["S1/C3"])]),
            Entry(dn: "uid=dee,ou=P", attributes: [Attribute("uid", ["dee"]), Attribute("misContactRef", ["S1/C2", "/", "S4/"])]),
        ]
        let snapshot = DirectorySnapshot(managedParents: entries, unmanagedUsernames: [], pupilDNs: [:], roleGroup: nil)
        let expected = CurrentDirectory(snapshot).usernamesByRecord
        #expect(snapshot.usernamesByRecord == expected)
        #expect(expected[.id("C2", school: "S1")] == "dee", "the later entry's, as before")
        #expect(expected.count == 6)
    }
}

extension ApplyFastPathTests {
    #if canImport(Glibc)
    @Test func glibcsTrimIsFoundSoFreedPagesGoBackBetweenPhases() {
        #expect(FreePages.isAvailable)
        FreePages.release()
    }

    @Test func glibcTakesTheArenaLimitARunSets() {
        // False when glibc's mallopt is not found or refuses the limit.
        #expect(FreePages.limitArenas(to: 2))
    }
    #endif
}
