import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// One school over three runs against a real slapd: what run 1 creates, what run 2's export changes
/// (court order, loss of parental responsibility, access withdrawn, a leaver, a new e-mail, a new surname,
/// a new sibling),
/// and that run 3 with the same export changes nothing.
@Suite struct SyncScenarioTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A100000000001", "Tom", "Smith")
    static let mia = ExportPupil("P2", upn: "A100000000002", "Mia", "Jones")
    static let leo = ExportPupil("P3", upn: "A100000000003", "Leo", "Brown")
    static let lily = ExportPupil("P4", upn: "A100000000004", "Lily", "Smith")
    /// Not in the directory: her link is a `misChildRef` without a `misChild`.
    static let amy = ExportPupil("P5", upn: "A100000000005", "Amy", "Green")
    static let ben = ExportPupil("P6", upn: "A100000000006", "Ben", "Green")
    /// Joins the school in run 2: Ann's new sibling link.
    static let zac = ExportPupil("P7", upn: "A100000000007", "Zac", "Smith")

    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")
    static let conor = ExportContact("C3", "Conor", "Jones", relationship: "Father", email: "conor.jones@example.org")
    static let kate = ExportContact("C4", "Kate", "Jones", email: "kate.jones@example.org")
    static let sam = ExportContact("C5", "Sam", "Brown", relationship: "Father", email: "sam.brown@example.org")
    static let eve = ExportContact("C6", "Eve", "Green", email: "eve.green@example.org")
    static let rob = ExportContact("C7", "Rob", "Green", relationship: "Father", email: "rob.green@example.org")

    static var firstExport: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(mia, conor, kate)
        export.add(leo, sam)
        export.add(lily, david)
        export.add(amy, eve)
        export.add(ben, eve, rob)
        return export
    }

    static var secondExport: CanonicalExport {
        var export = firstExport
        export.change(contact: "C2", pupil: "P1") { $0.courtOrder = true }
        export.change(contact: "C4") { $0.parentalResponsibility = "N" }
        export.remove(pupil: "P3")
        export.change(contact: "C3") { $0.email = "conor@new.example.org" }
        export.change(contact: "C6") { $0.family = "Greenwood" }
        export.change(contact: "C7") { $0.accessWithdrawn = true }
        export.add(zac, ann)
        return export
    }

    static func ref(_ pupil: ExportPupil) -> String { "\(school)/\(pupil.id)" }

    @Test func twoRunsCreateThenRevokeUpdateAndLinkAndAThirdRunChangesNothing() async throws {
        let pupils = [Self.tom, Self.mia, Self.leo, Self.lily, Self.ben, Self.zac]
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let directory = DirectoryInspector(server: server)
            let pupilDN = Dictionary(uniqueKeysWithValues: pupils.map { ($0.id, "uid=\($0.given.lowercased()).\($0.id.lowercased()),\(server.pupilsBase)") })

            // Run 1: seven parents, their children, the role group created with all seven.
            try site.write(Self.firstExport)
            let first = try await site.apply()
            #expect(first.exitStatus == .success)
            #expect(first.result.failures.isEmpty)
            #expect(first.plan.summary.create == 7)

            let created = try await directory.parentsByContact(Self.school)
            #expect(created.count == 7)
            let annBefore = try #require(created["C1"])
            #expect(annBefore.strings("uid") == ["ann.smith"])
            #expect(Set(annBefore.strings("misChildRef")) == [Self.ref(Self.tom)])
            #expect(Set(annBefore.strings("misChild")) == [pupilDN["P1"]!])
            let davidBefore = try #require(created["C2"])
            #expect(Set(davidBefore.strings("misChildRef")) == [Self.ref(Self.tom), Self.ref(Self.lily)])
            #expect(Set(davidBefore.strings("misChild")) == [pupilDN["P1"]!, pupilDN["P4"]!])
            let eveBefore = try #require(created["C6"])
            #expect(Set(eveBefore.strings("misChildRef")) == [Self.ref(Self.amy), Self.ref(Self.ben)])
            #expect(Set(eveBefore.strings("misChild")) == [pupilDN["P6"]!], "Amy has no entry of her own")
            for entry in created.values {
                #expect(entry.strings("misAccountStatus") == ["active"], "\(entry.dn)")
                #expect(entry.strings("misRole") == ["Parent"], "\(entry.dn)")
            }
            let membersAfterFirst = try #require(try await directory.groupMembers(site.parentGroup), "the group is created")
            #expect(membersAfterFirst == Set(created.values.map { $0.dn.lowercased() }))

            // Run 2: the export brings every kind of change.
            try site.write(Self.secondExport)
            let second = try await site.apply()
            #expect(second.exitStatus == .success)
            #expect(second.result.failures.isEmpty)
            #expect(second.plan.held.isEmpty)
            let courtOrderUnlink = second.plan.changes.first { $0.action == .unlink && $0.pupil == Self.ref(Self.tom) }
            #expect(courtOrderUnlink?.reasons.map(\.code).contains("court-order") == true)
            #expect(courtOrderUnlink?.cause == .revocation)

            let after = try await directory.parentsByContact(Self.school)
            #expect(after.count == 7, "nothing is deleted, nothing duplicated")

            // Court order: David loses Tom, keeps Lily, stays active and in the group.
            let david = try #require(after["C2"])
            #expect(Set(david.strings("misChildRef")) == [Self.ref(Self.lily)])
            #expect(Set(david.strings("misChild")) == [pupilDN["P4"]!])
            #expect(david.strings("misAccountStatus") == ["active"])

            // Loss of parental responsibility: Kate's only link goes, and her account is disabled and locked.
            let kate = try #require(after["C4"])
            #expect(kate.strings("misChildRef").isEmpty)
            #expect(kate.strings("misChild").isEmpty)
            #expect(kate.strings("misAccountStatus") == ["disabled"])
            #expect(kate.string("misStatusReason")?.contains("no-parental-responsibility") == true)
            #expect(kate.strings("pwdAccountLockedTime") == ["000001010000Z"])

            // The source withdraws Rob's access to Ben: a revocation like a court order.
            let rob = try #require(after["C7"])
            #expect(rob.strings("misChildRef").isEmpty)
            #expect(rob.strings("misAccountStatus") == ["disabled"])
            #expect(rob.string("misStatusReason")?.contains("source-withdrawn") == true)

            // A leaver: Leo is gone from the export, so Sam (his only parent link) is disabled.
            let sam = try #require(after["C5"])
            #expect(sam.strings("misChildRef").isEmpty)
            #expect(sam.strings("misChild").isEmpty)
            #expect(sam.strings("misAccountStatus") == ["disabled"])
            #expect(sam.strings("pwdAccountLockedTime") == ["000001010000Z"])

            // A changed e-mail.
            #expect(after["C3"]?.strings("mail") == ["conor@new.example.org"])

            // A changed surname: the names follow, the username and DN do not.
            let eve = try #require(after["C6"])
            #expect(eve.dn == eveBefore.dn)
            #expect(eve.strings("uid") == ["eve.green"])
            #expect(eve.strings("sn") == ["Greenwood"])
            #expect(eve.strings("cn") == ["Eve Greenwood"])

            // A new sibling: a link added to Ann's existing account, with the pupil's entry.
            let ann = try #require(after["C1"])
            #expect(ann.dn == annBefore.dn)
            #expect(Set(ann.strings("misChildRef")) == [Self.ref(Self.tom), Self.ref(Self.zac)])
            #expect(Set(ann.strings("misChild")) == [pupilDN["P1"]!, pupilDN["P7"]!])

            let members = try #require(try await directory.groupMembers(site.parentGroup))
            #expect(members == Set(["C1", "C2", "C3", "C6"].map { after[$0]!.dn.lowercased() }))

            // Run 3, same export: nothing to do.
            let third = try await site.prepare()
            #expect(third.plan.changes.isEmpty, "\(third.plan.changes.map { "\($0.action) \($0.dn) \($0.pupil ?? "")" })")
            #expect(third.plan.held.isEmpty)
            #expect(third.plan.roleGroup == nil)
            #expect(third.plan.summary.unchanged == 7)
        }
    }

    @Test func pupilEntryRenamedOrRemovedInTheDirectoryMovesTheParentsChildDN() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF([Self.tom, Self.lily], under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: Self.school)
            export.add(Self.tom, Self.david)
            export.add(Self.lily, Self.david)
            try site.write(export)
            try await site.apply()
            let directory = DirectoryInspector(server: server)
            let tomDN = "uid=tom.p1,\(server.pupilsBase)"
            let lilyDN = "uid=lily.p4,\(server.pupilsBase)"
            #expect(Set(try await directory.parentsByContact(Self.school)["C2"]?.strings("misChild") ?? []) == [tomDN, lilyDN])

            // An admin renames Tom's entry and removes Lily's: the links stay, the DNs follow.
            let admin = try await directory.connect()
            try await admin.rename(RenameRequest(dn: tomDN, newRDN: "uid=thomas.p1"))
            try await admin.delete(DeleteRequest(dn: lilyDN))
            await admin.close()
            let repaired = try await site.apply()
            #expect(repaired.exitStatus == .success, "\(repaired.result.failures)")
            let david = try #require(try await directory.parentsByContact(Self.school)["C2"])
            #expect(david.strings("misChild") == ["uid=thomas.p1,\(server.pupilsBase)"])
            #expect(Set(david.strings("misChildRef")) == [Self.ref(Self.tom), Self.ref(Self.lily)])
            #expect(try await site.prepare().plan.changes.isEmpty)
        }
    }
}
