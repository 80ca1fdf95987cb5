import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The school's safeguarding decisions applied by real runs against slapd (issue 8): restrictions,
/// court-order overrides, the review queue, care relationships, looked-after pupils and the review age.
@Suite struct SafeguardingPolicyTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A810000000001", "Tom", "Smith")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")

    static func export(_ pupil: ExportPupil = tom, _ contacts: ExportContact...) -> CanonicalExport {
        var export = CanonicalExport(school: school)
        for contact in contacts { export.add(pupil, contact) }
        return export
    }

    /// The usernames of the managed parents linked to `pupil`.
    static func linked(_ server: SlapdServer, to pupil: String = "\(school)/P1") async throws -> Set<String> {
        let entries = try await DirectoryInspector(server: server).entries(
            under: server.parentsBase, filter: "(misChildRef=\(pupil))", attributes: ["uid"])
        return Set(entries.compactMap { $0.string("uid") })
    }

    static func accounts(_ server: SlapdServer) async throws -> Set<String> {
        let entries = try await DirectoryInspector(server: server).entries(
            under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["uid"])
        return Set(entries.compactMap { $0.string("uid") })
    }

    @Test func aRestrictionRemovesALinkTheMISStillGrantsAndLiftingItIsLogged() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.addPolicy("restrictions: restrictions.csv")
            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n")
            try site.write(Self.export(Self.tom, Self.ann, Self.david))
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.linked(server) == ["ann.smith", "david.smith"])

            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n"
                + "\(Self.school)/P1,,\(Self.school)/C2,risk assessment,Head,2026-11-01,\n")
            let restricted = try await site.apply()
            #expect(restricted.exitStatus == .success)
            #expect(try await Self.linked(server) == ["ann.smith"])
            let disable = try #require(restricted.plan.changes.first { $0.action == .disable })
            #expect(disable.cause == .revocation)
            #expect(disable.reasons.map(\.code) == ["restricted"])

            // A restriction that has ended no longer applies, and the run logs it as lifted.
            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n"
                + "\(Self.school)/P1,,\(Self.school)/C2,risk assessment,Head,2000-01-01,2000-01-02\n")
            let lifted = try await site.apply()
            #expect(lifted.plan.warnings.contains { $0.code == .restrictionLifted })
            #expect(try await Self.linked(server) == ["ann.smith", "david.smith"])
            let audit = try AuditLog.read(stateDirectory: site.config().stateDir)
            #expect(audit.contains { $0.event == "restriction-lifted" && $0.message?.contains("\(Self.school)/C2") == true })
        }
    }

    @Test func aReviewedOverrideKeepsALinkUnderACourtOrderFlag() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var gran = ExportContact("C3", "Gwen", "Smith", relationship: "Grandmother", email: "gwen@example.org")
            gran.courtOrder = true
            try site.write(Self.export(Self.tom, Self.ann, gran))
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.linked(server) == ["ann.smith"], "a court-order flag alone revokes")

            try site.addPolicy("court_order_overrides: overrides.csv")
            try site.writeFile("overrides.csv", "pupil,parent,contact,order_reference,reviewed_by,reviewed_on,ends_on\n"
                + "\(Self.school)/P1,,\(Self.school)/C3,SGO 2026/123,Head,2026-11-20,\n")
            let outcome = try await site.apply()
            #expect(try await Self.linked(server) == ["ann.smith", "gwen.smith"])
            #expect(outcome.plan.changes.first { $0.action == .create }?.reasons.map(\.code).contains("override") == true)
        }
    }

    @Test func unknownResponsibilityUnderReviewCreatesNoAccountAndListsTheContact() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.editConfig { $0.replacingOccurrences(of: "unknown_parental_responsibility: deny", with: "unknown_parental_responsibility: review") }
            let unknown = ExportContact("C2", "David", "Smith", relationship: "Father", parentalResponsibility: "")
            try site.write(Self.export(Self.tom, Self.ann, unknown))
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success)
            #expect(try await Self.accounts(server) == ["ann.smith"])
            #expect(outcome.plan.review.map(\.contact) == ["\(Self.school)/C2"])

            let text = try site.cli("plan")
            #expect(text.standardOutput.contains("FOR REVIEW (1)"))
            #expect(text.standardOutput.contains("\(Self.school)/P1  David Smith (\(Self.school)/C2)"))
            #expect(text.standardOutput.contains("awaiting-review"))
            let csv = try site.cli("plan", "--format", "csv")
            #expect(csv.standardOutput.contains("review,,David Smith (\(Self.school)/C2),\(Self.school)/P1,\(Self.school),,awaiting-review"))
            let html = try site.cli("plan", "--format", "html")
            #expect(html.standardOutput.contains("<h2>For review (1)</h2>"))
            #expect(html.standardOutput.contains("David Smith (\(Self.school)/C2)"))
        }
    }

    @Test func aFosterCarerIsLinkedOnlyWhenTheRelationshipIsListed() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let carer = ExportContact("C4", "Fay", "Carer", relationship: "Foster Carer", parentalResponsibility: "N")
            try site.write(Self.export(Self.tom, carer))
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.accounts(server).isEmpty)

            try site.addPolicy("care_relationships: [kinship-carer]")
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.accounts(server).isEmpty, "another care relationship does not count")

            try site.editConfig { $0.replacingOccurrences(of: "[kinship-carer]", with: "[foster-carer]") }
            let outcome = try await site.apply()
            #expect(try await Self.linked(server) == ["fay.carer"])
            #expect(outcome.plan.changes.first { $0.action == .create }?.reasons.map(\.code) == ["carer"])
        }
    }

    @Test func aLookedAfterPupilGetsNoLinkUntilApproved() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var inCare = Self.tom
            inCare.lookedAfter = true
            try site.write(Self.export(inCare, Self.ann, Self.david))
            let waiting = try await site.apply()
            #expect(try await Self.accounts(server).isEmpty)
            #expect(waiting.plan.review.map(\.contact) == ["\(Self.school)/C1", "\(Self.school)/C2"])
            #expect(waiting.plan.review.allSatisfy { $0.reasons == [.awaitingApproval] })

            try site.addPolicy("looked_after_approvals: approvals.csv")
            try site.writeFile("approvals.csv", "pupil,parent,contact,approved_by,approved_on\n"
                + "\(Self.school)/P1,,\(Self.school)/C1,Virtual School Head,2026-11-25\n")
            let approved = try await site.apply()
            #expect(try await Self.linked(server) == ["ann.smith"])
            #expect(approved.plan.review.map(\.contact) == ["\(Self.school)/C2"])

            try site.editConfig { $0.replacingOccurrences(of: "policy:\n", with: "policy:\n  looked_after: auto\n") }
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.linked(server) == ["ann.smith", "david.smith"])
        }
    }

    @Test func aPupilAtTheReviewAgeNeedsApprovalToo() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var adult = Self.tom
            adult.dateOfBirth = "2000-01-01"
            try site.write(Self.export(adult, Self.ann))
            let outcome = try await site.apply()
            #expect(try await Self.accounts(server).isEmpty)
            #expect(outcome.plan.review.first?.reasons == [.awaitingApproval])

            try site.addPolicy("review_age: 90")
            #expect(try await site.apply().exitStatus == .success)
            #expect(try await Self.linked(server) == ["ann.smith"])
        }
    }

    @Test func aParentDroppedOnlyByAFilterIsWarnedAboutInThePlan() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.addPolicy("relationships: [mother, father]")
            let guardian = ExportContact("C5", "Gwen", "Smith", relationship: "Grandmother", parentalResponsibility: "Y")
            try site.write(Self.export(Self.tom, Self.ann, guardian))
            let plan = try site.cli("plan")
            #expect(plan.standardOutput.contains("parent-filtered: Gwen Smith (\(Self.school)/C5) has parental responsibility"))
        }
    }

    @Test func aBadPolicyFileStopsTheRunBeforeAnyWrite() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.addPolicy("restrictions: restrictions.csv")
            try site.writeFile("restrictions.csv", "pupil,parent,contact,reason,set_by,set_on,ends_on\n"
                + "\(Self.school)/P1,,\(Self.school)/P1/2,risk,Head,2026-11-01,\n")
            try site.write(Self.export(Self.tom, Self.ann))
            let before = try DirectoryInspector(server: server).dumpByDN()
            let run = try site.cli("apply")
            #expect(run.status == 2)
            #expect(run.standardError.contains("restrictions.csv:2:3: error: contact \(Self.school)/P1/2 is a reference by position"))
            #expect(try DirectoryInspector(server: server).dumpByDN() == before)
        }
    }
}
