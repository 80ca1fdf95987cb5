import Directory
import Reconcile
import Testing

@testable import Sync
import TestRandom

/// `CurrentParent` keeps its values packed in one buffer. Packed from an entry's bytes as they are read,
/// it must equal the entry built from the same values as Strings and Sets (the general form), whatever
/// the attributes' order, the values' order, duplicates or text beyond ASCII; and each property must read
/// back what was set.
@Suite struct PackedParentValuesTests {
    static let pool = [
        "5301234/C1", "5301234/C10", "5301234/C2", "5301235/C9", "5301234/P1/1", "uid=tom,ou=Pupils,dc=example,dc=org",
        "UID=Tom,ou=Pupils,dc=example,dc=org", "", "Zoë", "Zoe\u{308}", "Zo\u{EB}", "Ann Smith (Tom's mum)", "a",
        String(repeating: "long value ", count: 20), "ann@example.org", "+447700900123",
    ]

    static func values(_ generator: inout SeededGenerator, count: Int) -> [String] {
        (0..<count).map { _ in pool.randomElement(using: &generator)! }
    }

    /// An entry with some of the attributes a parent has, in a random order, and the general form of it.
    static func entry(seed: UInt64) -> (Entry, CurrentParent) {
        var generator = SeededGenerator(seed: seed)
        var attributes: [Attribute] = []
        var singles: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for name in ["misParentId", "cn", "sn", "givenName", "displayName", "mail", "mobile", "misStatusReason", "misStatusSince"]
        where Bool.random(using: &generator) {
            let values = values(&generator, count: Int.random(in: 0..<3, using: &generator))
            attributes.append(Attribute(name, values))
            singles[name] = values.first
        }
        for name in ["misContactRef", "misChildRef", "misChild"] where Int.random(in: 0..<4, using: &generator) > 0 {
            let values = values(&generator, count: Int.random(in: 0..<6, using: &generator))
            attributes.append(Attribute(name, values))
            lists[name] = values
        }
        attributes.append(Attribute("uid", ["ann.smith"]))
        attributes.append(Attribute("misAccountStatus", ["active"]))
        attributes.shuffle(using: &generator)
        let dn = "uid=ann.smith,ou=Parents,dc=example,dc=org"
        let general = CurrentParent(
            dn: dn, uid: "ann.smith", misParentId: singles["misParentId"], misContactRef: Set(lists["misContactRef"] ?? []),
            misChildRef: Set(lists["misChildRef"] ?? []), misChild: Set(lists["misChild"] ?? []), cn: singles["cn"], sn: singles["sn"],
            givenName: singles["givenName"], displayName: singles["displayName"], mail: singles["mail"], mobile: singles["mobile"],
            hasParentRole: false, status: .active, statusReason: singles["misStatusReason"], statusSince: singles["misStatusSince"],
            isLocked: false)
        return (Entry(dn: dn, attributes: attributes), general)
    }

    @Test func packedFromAnEntryIsTheGeneralForm() {
        // One packer for every entry, as the reader keeps one.
        var packer = CurrentParent.Packer()
        for seed in 0..<400 {
            let (entry, general) = Self.entry(seed: UInt64(seed))
            let packed = CurrentParent(entry, packer: &packer)
            #expect(packed == general, "seed \(seed)")
            #expect(packed.misContactRef == general.misContactRef && packed.misChild == general.misChild && packed.cn == general.cn)
        }
    }

    @Test func eachPropertyReadsBackWhatWasSetAndEqualsTheEntryBuiltWithIt() {
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<200 {
            let (_, general) = Self.entry(seed: generator.next())
            var changed = general
            let single: String? = Bool.random(using: &generator) ? nil : Self.pool.randomElement(using: &generator)
            let list = Set(Self.values(&generator, count: Int.random(in: 0..<4, using: &generator)))
            let field = Int.random(in: 0..<12, using: &generator)
            let singles: [WritableKeyPath<CurrentParent, String?>] = [
                \.misParentId, \.cn, \.sn, \.givenName, \.displayName, \.mail, \.mobile, \.statusReason, \.statusSince,
            ]
            let lists: [WritableKeyPath<CurrentParent, Set<String>>] = [\.misContactRef, \.misChildRef, \.misChild]
            if field < singles.count {
                changed[keyPath: singles[field]] = single
                #expect(changed[keyPath: singles[field]] == single)
            } else {
                changed[keyPath: lists[field - singles.count]] = list
                #expect(changed[keyPath: lists[field - singles.count]] == list)
            }
            // The other fields as they were.
            for other in singles.indices where other != field {
                #expect(changed[keyPath: singles[other]] == general[keyPath: singles[other]])
            }
            for other in lists.indices where other + singles.count != field {
                #expect(changed[keyPath: lists[other]] == general[keyPath: lists[other]])
            }
            let rebuilt = CurrentParent(
                dn: changed.dn, uid: changed.uid, misParentId: changed.misParentId, misContactRef: changed.misContactRef,
                misChildRef: changed.misChildRef, misChild: changed.misChild, cn: changed.cn, sn: changed.sn,
                givenName: changed.givenName, displayName: changed.displayName, mail: changed.mail, mobile: changed.mobile,
                hasParentRole: changed.hasParentRole, status: changed.status, statusReason: changed.statusReason,
                statusSince: changed.statusSince, isLocked: changed.isLocked)
            #expect(changed == rebuilt)
        }
    }
}
