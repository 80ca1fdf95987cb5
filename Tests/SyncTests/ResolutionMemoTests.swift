import Directory
import Foundation
import Reconcile
import Roster
import SlapdHarness
import Testing

@testable import Sync

/// `state_dir/resolution-memo`: an `apply` whose exports, policy files, config and date are those of the
/// last apply takes the people from its resolution; any change to any of them resolves afresh, so a court
/// order in the export is acted on in the run that first reads it.
@Suite struct ResolutionMemoTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A810000000001", "Tom", "Smith")
    static let mia = ExportPupil("P2", upn: "A810000000002", "Mia", "Smith")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org", mobile: "07700 900123")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")

    static func export() -> CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(mia, ann, david)
        return export
    }

    /// A prepared `apply` of the site (its memo written, as `apply` writes it after its writes), reusing or not.
    static func prepared(_ site: SyncSite, reusing: Bool = true, now: Date = Date()) async throws -> PreparedRun {
        var run = SyncRun(config: try site.config(), now: now)
        run.reusesResolution = reusing
        let connection = try await DirectorySession.open(try site.config())
        let prepared = try await run.prepare(connection, forApply: true)
        await prepared.memoEncoded?.value?.write()
        await connection.close()
        return prepared
    }

    /// A site whose export (`export()`) has been applied once (which keeps the memo).
    static func withAppliedSite(
        isolation: isolated (any Actor)? = #isolation, _ body: (SlapdServer, SyncSite) async throws -> Void
    ) async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export())
            #expect(try await site.apply().exitStatus == .success)
            try await body(server, site)
        }
    }

    static func memoPath(_ site: SyncSite) throws -> String {
        (try site.config().stateDir as NSString).appendingPathComponent(ResolutionMemo.name)
    }

    @Test func anApplyWithTheSameInputsReusesTheResolutionAndPlansWhatResolvingPlans() async throws {
        try await Self.withAppliedSite { server, site in
            let path = try Self.memoPath(site)
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "names and e-mails: the owner's only")

            let reused = try await Self.prepared(site)
            let resolved = try await Self.prepared(site, reusing: false)
            #expect(reused.resolutionReused && !resolved.resolutionReused)
            #expect(reused.plan == resolved.plan)
            #expect(reused.plan.changes.isEmpty && reused.plan.summary.unchanged == 2)
            // The memo's people are the resolution's, field by field (`plan` keeps its people; `apply` does not).
            let memo = ResolutionMemo(try #require(ResolutionMemo.Inputs(config: try site.config(), today: CalendarDate.todayUTC(now: Date()))))
            let planned = try await site.prepare().desired
            #expect(planned.count == 2 && planned.allSatisfy { !$0.username.isEmpty })
            #expect(try #require(memo.load()).desired == planned.map(Self.asResolved))
            #expect(try await site.apply().plan.changes.isEmpty)
        }
    }

    /// The court-order flag turned from N to Y: the same file size, another digest. The link goes in the
    /// run that first reads it.
    @Test func aCourtOrderInTheExportIsResolvedAfreshAndActedOnInTheSameRun() async throws {
        try await Self.withAppliedSite { server, site in
            _ = try await Self.prepared(site)

            var export = Self.export()
            export.change(contact: "C2", pupil: "P1") { $0.courtOrder = true }
            try site.write(export)
            let prepared = try await Self.prepared(site)
            #expect(!prepared.resolutionReused)
            let unlink = try #require(prepared.plan.changes.first { $0.action == .unlink })
            #expect(unlink.dn == "uid=david.smith,\(server.parentsBase)" && unlink.pupil == "\(Self.school)/P1" && unlink.cause == .revocation)
            let applied = try await site.apply()
            #expect(applied.plan.changes.contains { $0.action == .unlink && $0.cause == .revocation })
            let david = try await DirectoryInspector(server: server).entries(
                under: server.parentsBase, filter: "(uid=david.smith)", attributes: ["misChildRef"])
            #expect(david.first?.strings("misChildRef") == ["\(Self.school)/P2"])
        }
    }

    /// A restriction recorded in the policy files, a config edit and the next day each mean a resolution.
    @Test func policyFilesConfigAndTheDateAreInputsToo() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.addPolicy("restrictions: restrictions.csv")
            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n")
            try site.write(Self.export())
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.prepared(site).resolutionReused)

            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n"
                + "\(Self.school)/P1,,\(Self.school)/C2,risk assessment,Head,2026-11-01,\n")
            let restricted = try await Self.prepared(site)
            #expect(!restricted.resolutionReused)
            #expect(restricted.plan.changes.contains { $0.action == .unlink && $0.cause == .revocation })
            #expect(try await Self.prepared(site).resolutionReused, "stored by the run before")

            try site.editConfig { $0.replacingOccurrences(of: "restrictions: restrictions.csv", with: "restrictions: restrictions.csv\n  review_age: 17") }
            #expect(try await !Self.prepared(site).resolutionReused)
            #expect(try await Self.prepared(site).resolutionReused)

            #expect(try await !Self.prepared(site, now: Date().addingTimeInterval(86_400)).resolutionReused, "the next day")
        }
    }

    /// A memo changed by hand, or cut short, is not used; the run resolves and writes it anew.
    @Test func aDamagedMemoIsNotUsedAndIsWrittenAgain() async throws {
        try await Self.withAppliedSite { server, site in
            let path = try Self.memoPath(site)
            let good = try Data(contentsOf: URL(fileURLWithPath: path))
            for damage in [good.count / 2, good.count - 1] {
                var bytes = good
                bytes[damage] ^= 0x20
                try bytes.write(to: URL(fileURLWithPath: path))
                #expect(try await !Self.prepared(site).resolutionReused, "byte \(damage) changed")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == good, "written anew")
            }
            try good.prefix(good.count - 40).write(to: URL(fileURLWithPath: path))
            #expect(try await !Self.prepared(site).resolutionReused, "cut short")
            #expect(try await Self.prepared(site).resolutionReused)
        }
    }

    /// A first apply of 80 parents, which lets its people go before its writes (it writes more than an
    /// eighth of them), still keeps the memo: the no-op after it reuses it and plans nothing.
    @Test func aFirstApplyKeepsTheMemoForTheRunAfter() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: Self.school)
            for index in 1...80 {
                export.add(
                    ExportPupil("P\(index)", upn: "A81000000\(1000 + index)", "Pupil", "N\(index)"),
                    ExportContact("C\(index)", "Parent", "N\(index)", email: "p\(index)@example.org"))
            }
            try site.write(export)
            #expect(try await site.apply().plan.summary.create == 80)
            #expect(FileManager.default.fileExists(atPath: try Self.memoPath(site)))
            let next = try await Self.prepared(site)
            #expect(next.resolutionReused && next.plan.changes.isEmpty && next.plan.summary.unchanged == 80)
        }
    }

    /// `plan` neither reads nor writes the memo.
    @Test func planLeavesTheMemoAlone() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(Self.export())
            _ = try await site.prepare()
            #expect(!FileManager.default.fileExists(atPath: try Self.memoPath(site)))
        }
    }

    /// A person as resolution makes them, before the run adds what the directory tells (usernames, pupils' entries).
    static func asResolved(_ person: DesiredParent) -> DesiredParent {
        var person = person
        person.username = ""
        for index in person.links.indices { person.links[index].pupilDN = nil }
        return person
    }

    /// Every field of every kind of person comes back as it went in: keys known or worked out, absent and
    /// present values, text beyond ASCII, every reason, both losses, warnings and review items. (Not what
    /// the directory adds: usernames and pupils' entries come back empty.)
    @Test func thePeopleComeBackFieldByField() throws {
        let links = ReasonCode.allCases.enumerated().map { index, reason in
            DesiredLink(pupilRef: "5301234/P\(index)", pupilDN: index % 2 == 0 ? nil : "uid=p\(index),ou=Pupils", eligible: reason.grantsAccess, reasons: [reason, .priority])
        }
        let people = [
            DesiredParent(
                personID: "5301234/C1", contactRefs: ["5301234/C1", "5301999/P4/2"], username: "", givenName: "Zoë", familyName: "Ó Briain",
                displayName: "Zoë Ó Briain", mail: nil, mobile: "+447700900123", links: links, keysFromEmail: "ZOE@Example.org", mobile: nil),
            DesiredParent(
                personID: "5301234/C2", contactRefs: [], identityKeys: IdentityKeys(emails: ["a@b.c", "d@e.f"], mobiles: [], nameKey: "ann|smith"),
                username: "ann.smith", givenName: "", familyName: "Smith", displayName: "Smith", mail: "a@b.c", links: []),
        ]
        let original = SyncRun.People(
            desired: people, warnings: [PlanWarning(code: .valueLeftOut, message: "mail left out: \"zoë@例え.jp\"")],
            review: [ReviewItem(pupil: "5301234/P1", contact: "5301234/C9", name: "Bo Lee", parentID: "5301234/C9", reasons: [.awaitingReview])],
            parents: [])
        var body: [UInt8] = []
        MemoPeople.encode(original) { body += $0 }
        let decoded = try body.withUnsafeBytes { try MemoPeople.decode($0) }
        #expect(decoded.desired == original.desired.map(Self.asResolved))
        #expect(decoded.desired.map(\.identityKeys) == original.desired.map(\.identityKeys))
        #expect(decoded.warnings == original.warnings && decoded.review == original.review)
        for cut in [0, 1, body.count / 3, body.count - 1] {
            #expect(throws: MemoBytes.Truncated.self) { try Array(body.prefix(cut)).withUnsafeBytes { try MemoPeople.decode($0) } }
        }
    }

    /// An export rewritten, or a school's file added, after the run took its inputs: the resolution read may
    /// be of either version, so it is not kept under the digest of the first.
    @Test func aMemoIsNotStoredWhenAnInputChangedDuringTheRun() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let export = folder.file("school.csv")
        try "school_id\n1\n".write(toFile: export, atomically: false, encoding: .utf8)
        let config = Config(
            file: folder.file("config.yaml"), directory: DirectoryConfig(url: "ldap://127.0.0.1:1", parentsBase: "ou=Parents,dc=example,dc=org"),
            sources: [SourceConfig(format: .csv, path: export, location: ConfigLocation(file: folder.file("config.yaml")))],
            accounts: AccountsConfig(credentialsDir: folder.file("credentials")), stateDir: folder.file("state"))
        let day = try #require(CalendarDate(year: 2026, month: 11, day: 30))
        let people = SyncRun.People(desired: [], warnings: [], review: [], parents: [])
        let inputs = try #require(ResolutionMemo.Inputs(config: config, today: day))
        try "school_id\n2\n".write(toFile: export, atomically: false, encoding: .utf8)
        #expect(!ResolutionMemo(inputs).store(people))
        let again = try #require(ResolutionMemo.Inputs(config: config, today: day))
        #expect(ResolutionMemo(again).store(people))
        #expect(ResolutionMemo(again).load() != nil)
        // A school's file added to a source's pattern while the run read the others.
        let pattern = Config(
            file: config.file, directory: config.directory,
            sources: [SourceConfig(format: .csv, path: folder.file("*.csv"), location: ConfigLocation(file: config.file))],
            accounts: config.accounts, stateDir: config.stateDir)
        let before = try #require(ResolutionMemo.Inputs(config: pattern, today: day))
        try "school_id\n3\n".write(toFile: folder.file("school-2.csv"), atomically: false, encoding: .utf8)
        #expect(!ResolutionMemo(before).store(people))
        try FileManager.default.removeItem(atPath: folder.file("school-2.csv"))
        #expect(ResolutionMemo(before).store(people), "as it was")
    }
}

extension ResolutionMemo {
    /// `encode` then `Encoded.write` in one step, as `apply` does them apart: whether a memo was kept.
    @discardableResult
    func store(_ people: SyncRun.People) -> Bool {
        encode(people)?.write() ?? false
    }
}
