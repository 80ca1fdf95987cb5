import Directory
import Reconcile
import Testing

@testable import Sync
import TestRandom

/// `ParentEntries` keeps the managed entries as the planner's view and a shape each: every entry comes
/// back equal to the one read (the general form, `[Entry]`), whatever its attributes.
@Suite struct ParentEntriesTests {
    /// A parent entry as ldap-sync writes it.
    static func written(_ number: Int, status: String = "active") -> Entry {
        Entry(dn: "uid=p\(number),ou=Parents,dc=example,dc=org", attributes: [
            Attribute("objectClass", ["inetOrgPerson", "misParent"]),
            Attribute("uid", ["p\(number)"]),
            Attribute("cn", ["Ann \(number)"]), Attribute("sn", ["Smith"]), Attribute("givenName", ["Ann"]),
            Attribute("displayName", ["Ann \(number)"]), Attribute("mail", ["ann\(number)@example.org"]),
            Attribute("mobile", ["+4477009\(number)"]), Attribute("misParentId", ["5301234/C\(number)"]),
            Attribute("misContactRef", ["5301234/C\(number)", "5301235/C\(number)"]),
            Attribute("misChildRef", ["5301234/P\(number)"]),
            Attribute("misChild", ["uid=p\(number)a,ou=Pupils,dc=example,dc=org", "uid=p\(number)b,ou=Pupils,dc=example,dc=org"]),
            Attribute("misRole", ["Parent"]), Attribute("misAccountStatus", [status]),
            Attribute("misStatusReason", ["parental-responsibility"]), Attribute("misStatusSince", ["20261129120000Z"]),
        ])
    }

    @Test func entriesAsWrittenComeBackEqualAndShareAShape() {
        let entries = (0..<300).map { Self.written($0, status: $0 % 3 == 0 ? "pending" : "active") }
        let kept = ParentEntries(entries)
        #expect(kept.entries == entries)
        #expect(kept.current == entries.map(CurrentParent.init))
        #expect((0..<entries.count).map(kept.dn(at:)) == entries.map(\.dn))
        #expect(kept.shapeCount == 2, "one shape for each status")
    }

    /// What the view does not give back as read stays in the shape: names in another case, a second
    /// attribute of a name, values not ASCII or not UTF-8, lists unsorted or with a value twice, a single
    /// field with no value or two, an empty value, attributes the view does not read.
    @Test func entriesTheViewCannotGiveBackComeBackEqual() {
        let entries = [
            Entry(dn: "uid=ann.smith,ou=Parents,dc=example,dc=org", attributes: [
                Attribute("objectClass", ["inetOrgPerson", "misParent"]),
                Attribute("UID", ["ann.smith"]), Attribute("uid", ["not.this.one"]),
                Attribute("misparentid", ["5301234/C1"]),
                Attribute("misContactRef", ["5301234/C1", "5301235/C9", "5301234/C1"]),
                Attribute("MISCHILDREF", ["5301234/P2", "5301234/P1"]),
                Attribute("misChild", ["uid=tom,ou=Pupils,dc=example,dc=org"]),
                Attribute("cn", ["Ann Smith"]), Attribute("sn", [""]), Attribute("givenName", ["Zoë-Ann"]),
                Attribute("displayName", ["Ann Smith (Tom's mum)"]),
                Attribute("mail", ["ann@example.org", "second@example.org"]), Attribute("mobile", values: []),
                Attribute("misRole", ["Staff", "PARENT"]), Attribute("misAccountStatus", ["Disabled"]),
                Attribute("misStatusReason", values: [[0xFF, 0x41]]), Attribute("misStatusSince", ["20261129120000Z"]),
                Attribute("pwdAccountLockedTime", ["20261129120000Z", "000001010000Z"]),
                Attribute("description", ["kept as read"]), Attribute("cn", ["a second cn"]),
            ]),
            Entry(dn: "uid=x,ou=Parents", attributes: []),
            Entry(dn: "uid=y,ou=Parents", attributes: [Attribute("misChild", values: []), Attribute("uid", values: [[0xC3]])]),
            Self.written(1),
        ]
        let kept = ParentEntries(entries)
        #expect(kept.entries == entries)
        #expect(kept.current == entries.map(CurrentParent.init))
    }

    /// Entries made at random from names in any case, values of every kind and attributes in any order.
    @Test func randomEntriesComeBackEqual() {
        let names = DirectoryReader.parentAttributes + ["MISCONTACTREF", "Cn", "description", "UID"]
        let values: [[UInt8]] = [
            Array("5301234/C1".utf8), Array("5301234/C2".utf8), Array("a".utf8), Array("A".utf8), [], Array("Zoë".utf8),
            [0xFF], Array("000001010000Z".utf8), Array("Parent".utf8), Array("misParent".utf8), Array("active".utf8),
        ]
        for seed in 0..<40 {
            var random = SeededGenerator(seed: UInt64(seed))
            let entries = (0..<50).map { number in
                Entry(dn: "uid=r\(number),ou=Parents", attributes: (0..<random.next(12)).map { _ in
                    Attribute(random.pick(names), values: (0..<random.next(4)).map { _ in random.pick(values) })
                })
            }
            let kept = ParentEntries(entries)
            #expect(kept.entries == entries, "seed \(seed)")
            #expect(kept.current == entries.map(CurrentParent.init), "seed \(seed)")
        }
    }

    @Test func theEntriesADNChoosesAreThoseTheGeneralFilterFinds() {
        let entries = (0..<40).map { Self.written($0) }
        let kept = ParentEntries(entries)
        let wanted: Set = [entries[3].dn, entries[17].dn, "uid=nobody,ou=Parents"]
        #expect(kept.entries(where: wanted.contains) == entries.filter { wanted.contains($0.dn) })
    }

    /// The entries a plan writes to, made again from the kept form, are the entries as read.
    @Test func theEntriesBeforeFromTheKeptFormAreTheEntriesAsRead() {
        let entries = (0..<20).map { Self.written($0) }
        let changes = [2, 5, 5, 11].map {
            Change(action: .update, dn: entries[$0].dn.uppercased(), parentID: "p", reasons: [], schools: [String](), cause: .routine, modifications: [])
        }
        let plan = Plan(summary: PlanSummary(changes: changes, held: 0, unchanged: 0), changes: changes, held: [], warnings: [], roleGroup: nil)
        let before = SyncRun.entriesBefore(plan, ParentEntries(entries))
        #expect(before == Dictionary(uniqueKeysWithValues: [2, 5, 11].map { (GroupWrites.key(entries[$0].dn), entries[$0]) }))
    }

    /// The role group's enabled accounts' rows from the kept form are those of the entries as read.
    @Test func theReissueRowsAreThoseOfTheEntriesAsRead() {
        let entries = (0..<10).map { Self.written($0, status: "disabled") }
        let snapshot = DirectorySnapshot(managedParents: entries, unmanagedUsernames: [], pupilDNs: [:], roleGroup: nil)
        let changes = [1, 4].map {
            Change(action: .enable, dn: entries[$0].dn, parentID: "p", reasons: [], schools: [String](), cause: .routine, modifications: [])
        }
        let plan = Plan(summary: PlanSummary(changes: changes, held: 0, unchanged: 0), changes: changes, held: [], warnings: [], roleGroup: nil)
        let rows = SyncRun.reissueRows(plan, snapshot)
        #expect(rows == Dictionary(uniqueKeysWithValues: [1, 4].map { (GroupWrites.key(entries[$0].dn), Applier.credentialsRow(for: entries[$0])) }))
    }
}
