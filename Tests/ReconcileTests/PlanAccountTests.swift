import Foundation
import Testing

@testable import Reconcile

/// New accounts, changed details and links on accounts that exist.
struct PlanAccountTests {
    typealias F = PlanFixture

    @Test func newParentWithEligibleChildIsCreatedWithEveryAttributeAndJoinsTheGroup() {
        let jane = F.person("P1", refs: ["S1/C1"], mobile: "+447700900001",
                            links: [F.child("S1/U1", dn: "uid=u1,ou=Pupils,dc=example,dc=org")])
        let plan = F.plan([jane], CurrentDirectory(parents: [], roleGroup: RoleGroupState(dn: F.groupDN, exists: true, members: ["uid=x,ou=Staff"])))
        let create = try! #require(plan.changes(.create).first)
        #expect(create.dn == "uid=jane.smithp1,\(F.base)")
        let values = Dictionary(uniqueKeysWithValues: create.modifications.map { ($0.attribute, $0.values) })
        #expect(values["uid"] == ["jane.smithp1"])
        #expect(values["sn"] == ["SmithP1"])
        #expect(values["cn"] == ["Jane SmithP1"])
        #expect(values["mail"] == ["p1@example.net"])
        #expect(values["mobile"] == ["+447700900001"])
        #expect(values["misParentId"] == ["P1"])
        #expect(values["misContactRef"] == ["S1/C1"])
        #expect(values["misChildRef"] == ["S1/U1"])
        #expect(values["misChild"] == ["uid=u1,ou=Pupils,dc=example,dc=org"])
        #expect(values["misRole"] == ["Parent"])
        #expect(values["misAccountStatus"] == ["active"])
        #expect(values["misStatusReason"] == ["parental-responsibility"])
        #expect(values["misStatusSince"] == [F.nowString])
        #expect(values["pwdAccountLockedTime"] == nil)
        #expect(create.modifications.allSatisfy { $0.kind == .add })
        #expect(plan.summary.create == 1 && plan.summary.link == 0)
        #expect(plan.roleGroup?.add == [create.dn])
    }

    @Test func contactWithoutEligibleChildGetsNoAccount() {
        let plan = F.plan([F.person("P1", refs: ["S1/C1"], links: [F.lapsed("S1/U1", .parentalResponsibilityUnknown)])],
                          CurrentDirectory(parents: []))
        #expect(plan.changes.isEmpty && plan.held.isEmpty)
    }

    @Test func onHandoverCreatesPendingLockedAccountOutsideTheGroup() {
        let plan = F.plan([F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])],
                          CurrentDirectory(parents: [], roleGroup: RoleGroupState(dn: F.groupDN, exists: false)),
                          context: F.context(activation: .onHandover))
        let create = try! #require(plan.changes(.create).first)
        #expect(create.modifications.contains(.add("misAccountStatus", ["pending"])))
        #expect(create.modifications.contains(.add("pwdAccountLockedTime", ["000001010000Z"])))
        #expect(create.group == nil)
        #expect(plan.roleGroup == nil)
    }

    @Test func usernameHeldByAnotherEntryCreatesNothingAndWarns() {
        let existing = F.settled([F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])])
        let namesake = F.person("P2", refs: ["S1/C2"], mail: "other@example.net", username: "jane.smithp1",
                                links: [F.child("S1/U2")])
        let plan = F.plan([F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")]), namesake], existing)
        #expect(plan.changes(.create).isEmpty)
        #expect(plan.warnings.map(\.code) == [.usernameTaken])
    }

    @Test func settledDirectoryPlansNothingAndCountsEveryEntryUnchanged() {
        let people = [
            F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")]),
            F.person("P2", refs: ["S2/C1"], links: [F.child("S2/U1"), F.child("S2/U2")]),
        ]
        let plan = F.plan(people, F.settled(people))
        #expect(plan.changes.isEmpty && plan.held.isEmpty && plan.roleGroup == nil)
        #expect(plan.summary.unchanged == 2)
    }

    @Test func changedEmailIsOneReplaceOfMail() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], mail: "jane@new.example", links: [F.child("S1/U1")])
        let plan = F.plan([after], F.settled([before]))
        let update = try! #require(plan.changes.first)
        #expect(plan.changes.count == 1 && update.action == .update)
        #expect(update.modifications == [.replace("mail", "jane@new.example")])
        #expect(update.reasons == [.sync(.detailsChanged)])
        // A dry run shows what the replace takes away, not only what it writes.
        #expect(update.modifications.first?.previous == ["p1@example.net"])
    }

    @Test func aMobileGivenForTheFirstTimeIsAReplaceOfNothing() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], mobile: "+447700900123", links: [F.child("S1/U1")])
        let update = try! #require(F.plan([after], F.settled([before])).changes.first)
        #expect(update.modifications == [.replace("mobile", "+447700900123")])
        #expect(update.modifications.first?.previous == [])
    }

    @Test func whatAReplaceFoundIsANoteNotPartOfTheChange() {
        let recorded = AttributeChange(attribute: "mail", kind: .replace, values: ["new@example.org"], previous: ["old@example.org"])
        let bare = AttributeChange(attribute: "mail", kind: .replace, values: ["new@example.org"])
        #expect(recorded == bare && recorded.hashValue == bare.hashValue)
        #expect(recorded != AttributeChange(attribute: "mail", kind: .replace, values: ["other@example.org"], previous: ["old@example.org"]))
        // Plans saved before it was recorded still read.
        let older = try! JSONDecoder().decode(AttributeChange.self, from: Data(#"{"attribute":"mail","kind":"replace","values":["new@example.org"]}"#.utf8))
        #expect(older == bare && older.previous == nil)
        let again = try! JSONDecoder().decode(AttributeChange.self, from: JSONEncoder().encode(recorded))
        #expect(again.previous == ["old@example.org"])
    }

    @Test func changedSurnameKeepsUsernameAndDN() {
        let before = F.person("P1", refs: ["S1/C1"], family: "Smith", links: [F.child("S1/U1")])
        var after = F.person("P1", refs: ["S1/C1"], family: "O'Brien", mail: "p1@example.net", links: [F.child("S1/U1")])
        after.username = "jane.obrien"
        let directory = F.settled([before])
        let plan = F.plan([after], directory)
        let update = try! #require(plan.changes(.update).first)
        #expect(update.dn == directory.parents[0].dn)
        #expect(Set(update.modifications.map(\.attribute)) == ["sn", "cn", "displayName"])
        #expect(update.modifications.contains(.replace("sn", "O'Brien")))
        #expect(plan.changes(.create).isEmpty && plan.changes(.disable).isEmpty)
    }

    @Test func mobileNoLongerInTheMISIsDeleted() {
        let before = F.person("P1", refs: ["S1/C1"], mobile: "+447700900001", links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let plan = F.plan([after], F.settled([before]))
        #expect(plan.changes.map(\.modifications) == [[.delete("mobile", ["+447700900001"])]])
    }

    @Test func blankNameInTheMISNeverDeletesTheRequiredCnOrSn() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        var blank = before
        blank.familyName = ""
        blank.displayName = ""
        let plan = F.plan([blank], F.settled([before]))
        #expect(plan.changes.allSatisfy { change in
            !change.modifications.contains { ["cn", "sn"].contains($0.attribute) && $0.kind == .delete }
        })
        #expect(plan.changes.first?.modifications == [.delete("displayName", ["Jane SmithP1"])])
    }

    @Test func newSiblingIsALinkOnTheExistingAccount() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1"), F.child("S1/U2", dn: "uid=u2,ou=Pupils")])
        let plan = F.plan([after], F.settled([before]))
        let link = try! #require(plan.changes.first)
        #expect(plan.changes.count == 1 && link.action == .link && link.pupil == "S1/U2")
        #expect(link.modifications == [.add("misChild", ["uid=u2,ou=Pupils"]), .add("misChildRef", ["S1/U2"])])
        #expect(link.reasons == [.eligibility(.parentalResponsibility)])
        #expect(plan.summary.link == 1 && plan.summary.create == 0)
    }

    @Test func pupilEntryFoundAfterTheLinkIsAddedToMisChildByAnUpdate() {
        let before = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/C1"], links: [F.child("S1/U1", dn: "uid=u1,ou=Pupils")])
        let plan = F.plan([after], F.settled([before]))
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes.first?.modifications == [.add("misChild", ["uid=u1,ou=Pupils"])])
        #expect(plan.changes.first?.reasons == [.sync(.childEntryChanged)])
    }

    @Test func renumberedRecordsFindTheEntryByEmailAndName() {
        let before = F.person("P1", refs: ["S1/U1/1"], links: [F.child("S1/U1")])
        let after = F.person("P1", refs: ["S1/U1/2"], links: [F.child("S1/U1")])
        let plan = F.plan([after], F.settled([before]))
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes.first?.modifications == [.add("misContactRef", ["S1/U1/2"]), .delete("misContactRef", ["S1/U1/1"])])
    }

    @Test func positionalReferenceNowNamingAnotherContactDoesNotHandOverTheAccount() {
        // The MIS reordered the contacts: the father is now first, where the mother was.
        let mother = F.person("M", refs: ["S1/U1/1"], given: "Ann", family: "Lee", links: [F.child("S1/U1")])
        let father = F.person("F", refs: ["S1/U1/1"], given: "Bob", family: "Lee", links: [F.child("S1/U1")])
        let movedMother = F.person("M", refs: ["S1/U1/2"], given: "Ann", family: "Lee", links: [F.child("S1/U1")])
        let plan = F.plan([father, movedMother], F.settled([mother]))
        #expect(plan.changes(.create).map(\.parentID) == ["F"])
        #expect(plan.changes(.update).map(\.dn) == ["uid=ann.lee,\(F.base)"])
        #expect(plan.changes(.disable).isEmpty)
    }

    @Test func usernameEscapedInTheDN() {
        let odd = F.person("P1", refs: ["S1/C1"], username: "a,b+c", links: [F.child("S1/U1")])
        let plan = F.plan([odd], CurrentDirectory(parents: []))
        #expect(plan.changes.first?.dn == "uid=a\\,b\\+c,\(F.base)")
    }
}
