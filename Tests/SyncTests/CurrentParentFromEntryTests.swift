import Directory
import Reconcile
import Testing

@testable import Sync

/// `CurrentParent(entry)` reads the planner's view from the entry's bytes in place.
@Suite struct CurrentParentFromEntryTests {
    @Test func everyFieldIsReadWithNamesInAnyCaseAndTheFirstAttributeOfANameCounting() {
        let entry = Entry(dn: "uid=ann.smith,ou=Parents,dc=example,dc=org", attributes: [
            Attribute("objectClass", ["inetOrgPerson", "misParent"]),
            Attribute("UID", ["ann.smith"]),
            Attribute("uid", ["not.this.one"]),
            Attribute("misparentid", ["5301234/C1"]),
            Attribute("misContactRef", ["5301234/C1", "5301235/C9", "5301234/C1"]),
            Attribute("MISCHILDREF", ["5301234/P1"]),
            Attribute("misChild", ["uid=tom,ou=Pupils,dc=example,dc=org"]),
            Attribute("cn", ["Ann Smith"]),
            Attribute("sn", ["Smith"]),
            Attribute("givenName", ["Zoë-Ann"]),
            Attribute("displayName", ["Ann Smith (Tom's mum)"]),
            Attribute("mail", ["ann@example.org", "second@example.org"]),
            Attribute("mobile", ["+447700900123"]),
            Attribute("misRole", ["Staff", "PARENT"]),
            Attribute("misAccountStatus", ["Disabled"]),
            Attribute("misStatusReason", ["no-responsibility"]),
            Attribute("misStatusSince", ["20261129120000Z"]),
            Attribute("pwdAccountLockedTime", ["20261129120000Z", "000001010000Z"]),
        ])
        let parent = CurrentParent(entry)
        #expect(parent == CurrentParent(
            dn: "uid=ann.smith,ou=Parents,dc=example,dc=org", uid: "ann.smith", misParentId: "5301234/C1",
            misContactRef: ["5301234/C1", "5301235/C9"], misChildRef: ["5301234/P1"], misChild: ["uid=tom,ou=Pupils,dc=example,dc=org"],
            cn: "Ann Smith", sn: "Smith", givenName: "Zoë-Ann", displayName: "Ann Smith (Tom's mum)", mail: "ann@example.org",
            mobile: "+447700900123", hasParentRole: true, status: .disabled, statusReason: "no-responsibility",
            statusSince: "20261129120000Z", isLocked: true))
    }

    @Test func absentAndUnknownValuesReadAsTheirDefaults() {
        let bare = CurrentParent(Entry(dn: "uid=x,ou=Parents", attributes: [
            Attribute("misRole", ["parents", "Parent "]),
            Attribute("misAccountStatus", ["frozen"]),
            Attribute("pwdAccountLockedTime", ["20261129120000Z", "000001010000z"]),
            Attribute("cn", values: []),
        ]))
        #expect(bare == CurrentParent(
            dn: "uid=x,ou=Parents", uid: "", misParentId: nil, misContactRef: [], cn: nil, sn: nil, givenName: nil,
            displayName: nil, hasParentRole: false, status: nil, isLocked: false))
    }

    @Test func aSnapshotWhoseEntriesAreSetAnewForgetsTheReadersView() {
        let entry = Entry(dn: "uid=a,ou=P", attributes: [Attribute("uid", ["a"])])
        var snapshot = DirectorySnapshot(managedParents: [entry], unmanagedUsernames: [], pupilDNs: [:], roleGroup: nil)
        #expect(snapshot.currentParents == [CurrentParent(entry)])
        #expect(CurrentDirectory(snapshot).parents.map(\.uid) == ["a"])
        let next = Entry(dn: "uid=b,ou=P", attributes: [Attribute("uid", ["b"])])
        snapshot.managedParents = [next]
        #expect(snapshot.currentParents == [CurrentParent(next)])
        #expect(CurrentDirectory(snapshot).parents.map(\.uid) == ["b"])
    }
}
