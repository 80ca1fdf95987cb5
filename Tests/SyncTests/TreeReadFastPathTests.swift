import Directory
import Testing

@testable import Sync
import TestRandom

/// The whole-tree read sorts each entry in one pass over its attributes, names found position by position
/// from the entry before (`FoundEntries.add(_:inParents:inPupils:names:)`): the same parents, views,
/// usernames and pupils as the general form (`addFromTree`), which asks the entry for each name.
@Suite struct TreeReadFastPathTests {
    static func parent(_ number: Int, _ attributes: [Attribute]) -> (Entry, inParents: Bool, isPupil: Bool) {
        (Entry(dn: "uid=p\(number),ou=Parents,dc=example,dc=org", attributes: attributes), true, false)
    }

    /// Entries of every kind, each with where it lies.
    static func entries(_ number: Int) -> [(Entry, inParents: Bool, isPupil: Bool)] {
        let written = ParentEntriesTests.written(number).attributes
        return [
            (ParentEntriesTests.written(number), true, false),
            // The pupils' match attribute on a parent, where the server put it and last.
            parent(number, Array(written.prefix(3)) + [Attribute("employeeNumber", ["E\(number)"])] + written.dropFirst(3)),
            parent(number, written + [Attribute("EMPLOYEENUMBER", ["E\(number)", "F\(number)"])]),
            // Another order, attributes no one asked for, names in another case.
            parent(number, written.reversed()),
            parent(number, written + [Attribute("description", ["kept"])]),
            parent(number, written.map { Attribute($0.name.uppercased(), values: $0.values) }),
            // Values beyond ASCII and not UTF-8.
            parent(number, [Attribute("objectClass", ["misParent"]), Attribute("uid", ["Zoë.Ünal\(number)"]), Attribute("cn", values: [[0xFF, 0x41]])]),
            // An attribute repeated: the first of a name counts.
            parent(number, [Attribute("objectClass", ["inetOrgPerson"]), Attribute("uid", ["Rep\(number)", "second\(number)"]),
                            Attribute("objectClass", ["misParent"]), Attribute("uid", ["third\(number)"])]),
            parent(number, [Attribute("uid", values: []), Attribute("uid", ["late\(number)"]), Attribute("objectClass", ["misParent"])]),
            parent(number, [Attribute("objectClass", ["misParent"]), Attribute("employeeNumber", ["E1"]), Attribute("employeeNumber", ["E2"]), Attribute("uid", ["u\(number)"])]),
            // Unmanaged, without a uid.
            parent(number, [Attribute("objectClass", ["inetOrgPerson"]), Attribute("uid", ["Hand.Made\(number)"])]),
            parent(number, [Attribute("objectClass", ["misParent"]), Attribute("cn", ["no uid"])]),
            parent(number, []),
            // Pupils, staff, and an entry that is both a parent and a pupil.
            (Entry(dn: "uid=k\(number),ou=Pupils,dc=example,dc=org", attributes: [
                Attribute("objectClass", ["inetOrgPerson"]), Attribute("uid", ["k\(number)"]), Attribute("cn", ["Kid"]),
                Attribute("sn", ["Smith"]), Attribute("employeeNumber", ["a\(number)"]),
            ]), false, true),
            (Entry(dn: "uid=k\(number)x,ou=Pupils,dc=example,dc=org", attributes: [
                Attribute("employeeNumber", ["é\(number)", "b\(number)"]), Attribute("employeeNumber", ["ignored"]), Attribute("uid", ["K\(number)X"]),
            ]), false, true),
            (Entry(dn: "uid=s\(number),ou=Staff,dc=example,dc=org", attributes: [Attribute("uid", ["S\(number)"]), Attribute("employeeNumber", ["s"])]), false, false),
            (Entry(dn: "uid=b\(number),ou=Parents,dc=example,dc=org", attributes: written + [Attribute("employeeNumber", ["both\(number)"])]), true, true),
        ]
    }

    static func expectSame(_ sequence: [(Entry, inParents: Bool, isPupil: Bool)], match: String?, _ comment: String) {
        var general = FoundEntries()
        var fast = FoundEntries()
        var names = TreeNames(match: match)
        for (entry, inParents, isPupil) in sequence {
            let inPupils = match != nil && isPupil
            general.addFromTree(entry, inParents: inParents, inPupils: inPupils, match: match)
            fast.add(entry, inParents: inParents, inPupils: inPupils, names: &names)
        }
        let (a, b) = (general.managed.finish(), fast.managed.finish())
        #expect(a.entries == b.entries, "\(comment)")
        #expect(a.current == b.current, "\(comment)")
        #expect(general.unmanaged == fast.unmanaged, "\(comment)")
        #expect(general.pupils == fast.pupils, "\(comment)")
        #expect(general.taken == fast.taken, "\(comment)")
    }

    static let matches: [String?] = [nil, "employeeNumber", "EMPLOYEENUMBER", "cn", "uid"]

    @Test(arguments: matches)
    func everyKindOfEntryInTurnIsSortedAsTheGeneralFormSortsIt(match: String?) {
        let sequence = (0..<4).flatMap { Self.entries($0) }
        Self.expectSame(sequence, match: match, "match \(match ?? "none")")
        #expect(sequence.count > 60)
    }

    @Test(arguments: matches)
    func entriesInRandomOrderAreSortedAsTheGeneralFormSortsThem(match: String?) {
        let all = (0..<6).flatMap { Self.entries($0) }
        for seed in 0..<20 {
            var random = SeededGenerator(seed: UInt64(seed))
            // Runs of one kind (as a server sends them) broken by others.
            let sequence = (0..<200).map { _ in all[random.next(4) == 0 ? random.next(all.count) : random.next(3)] }
            Self.expectSame(sequence, match: match, "seed \(seed), match \(match ?? "none")")
        }
    }
}
