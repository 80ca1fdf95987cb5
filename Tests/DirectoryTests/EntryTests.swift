import Testing

@testable import Directory

/// `Entry` keeps its attributes in one buffer (`EntryLayout`): what goes in comes out, byte for byte.
@Suite struct EntryTests {
    static let photo: [UInt8] = [0xFF, 0xD8, 0x00, 0x00, 0x10, 0x4A, 0x46, 0x00, 0xFF, 0xD9]

    static let attributes = [
        Attribute("objectClass", ["inetOrgPerson", "misParent"]),
        Attribute("uid", ["ann"]),
        Attribute("jpegPhoto", values: [photo, [], [0x00], Array(repeating: 0xAB, count: 300), Array(repeating: 0x00, count: 20_000)]),
        Attribute("description", ["Zoë\u{0}Ann", ""]),
        Attribute("emptyAttribute", values: []),
        Attribute("UID", ["second"]),
    ]

    @Test func encodedAttributesMakeTheSameEntryAgain() {
        let entry = Entry(dn: "uid=ann,ou=Parents,dc=example,dc=org", attributes: Self.attributes)
        let again = Entry(dn: entry.dn, encodedAttributes: entry.encodedAttributes)
        #expect(again == entry)
        #expect(again.attributes == Self.attributes)
        #expect(Entry(dn: "cn=empty", encodedAttributes: []).attributes.isEmpty)
    }

    @Test func binaryNULAndLongValuesRoundTripByteForByte() {
        let entry = Entry(dn: "uid=ann,ou=Parents,dc=example,dc=org", attributes: Self.attributes)
        #expect(entry.attributes == Self.attributes)
        #expect(entry.attributeCount == 6)
        #expect(entry["jpegPhoto"]?.values == Self.attributes[2].values)
        #expect(entry.strings("description") == ["Zoë\u{0}Ann", ""])
        #expect(entry["emptyAttribute"] == Attribute("emptyAttribute", values: []))
        #expect(entry.strings("emptyAttribute") == [])
        #expect(entry.string("emptyAttribute") == nil)
    }

    @Test func namesMatchWithoutRegardToCaseAndTheFirstOfANameCounts() {
        let entry = Entry(dn: "uid=ann", attributes: Self.attributes)
        #expect(entry.string("UID") == "ann")
        #expect(entry.string("Uid") == "ann")
        #expect(entry["OBJECTCLASS"]?.name == "objectClass")
        #expect(entry.strings("objectclass") == ["inetOrgPerson", "misParent"])
        #expect(entry["ui"] == nil && entry["uidx"] == nil && entry.string("mail") == nil)
        // Only A–Z fold: '@' (0x40) and '`' (0x60) differ by the same bit but are different names.
        let odd = Entry(dn: "x", attributes: [Attribute("a@b", ["1"])])
        #expect(odd.string("a@b") == "1")
        #expect(odd.string("A@B") == "1")
        #expect(odd.string("a`b") == nil)
        #expect(Entry.sameName("misContactRef", "MISCONTACTREF"))
        #expect(!Entry.sameName("mis", "misX"))
    }

    @Test func valuesAreReadInPlace() {
        let entry = Entry(dn: "uid=ann", attributes: Self.attributes)
        #expect(entry.contains("objectClass", caseInsensitiveValue: "MISPARENT"))
        #expect(!entry.contains("objectClass", caseInsensitiveValue: "misParen"))
        #expect(!entry.contains("mail", caseInsensitiveValue: "misParent"))
        #expect(entry.contains("jpegPhoto") { Array($0) == Self.photo })
        let counts = entry.withValues(of: "jpegPhoto") { values in (values.count, values.map(\.count)) }
        #expect(counts?.0 == 5 && counts?.1 == [10, 0, 1, 300, 20_000])
        #expect(entry.withValues(of: "mail") { $0.count } == nil)
        #expect(entry.withValues(of: "objectClass") { $0.firstString } == "inetOrgPerson")
        var seen: [String] = []
        entry.forEachAttribute { attribute in
            seen.append(attribute.nameString + "=\(attribute.values.count)")
            #expect(attribute.isNamed(attribute.nameString.uppercased()))
        }
        #expect(seen == ["objectClass=2", "uid=1", "jpegPhoto=5", "description=2", "emptyAttribute=0", "UID=1"])
    }

    @Test func equalEntriesAreEqualAndHashAlike() {
        let one = Entry(dn: "uid=ann", attributes: Self.attributes)
        let two = Entry(dn: "uid=ann", attributes: Self.attributes)
        #expect(one == two && one.hashValue == two.hashValue)
        #expect(one != Entry(dn: "uid=ann", attributes: Self.attributes.reversed()))
        #expect(one != Entry(dn: "uid=bob", attributes: Self.attributes))
        #expect(Entry(dn: "x", attributes: [Attribute("a", ["1", "2"])]) != Entry(dn: "x", attributes: [Attribute("a", ["2", "1"])]))
        #expect(Entry(dn: "x", attributes: [Attribute("a", ["12"])]) != Entry(dn: "x", attributes: [Attribute("a", ["1", "2"])]))
        #expect(Entry(dn: "x", attributes: []) == Entry(dn: "x", attributes: []))
        #expect(Entry(dn: "x", attributes: []).attributes.isEmpty)
    }

    @Test func attributesCanBeChangedAndFiltered() {
        var entry = Entry(dn: "uid=ann", attributes: Self.attributes)
        entry.attributes.removeAll { $0.name == "jpegPhoto" }
        entry.attributes.append(Attribute("mail", ["ann@example.org"]))
        #expect(entry.attributes.map(\.name) == ["objectClass", "uid", "description", "emptyAttribute", "UID", "mail"])
        #expect(entry.string("mail") == "ann@example.org")

        let names = AttributeNames(["UID", "mail"])
        let kept = entry.keepingAttributes { names.contains($0.name) }
        #expect(kept.attributes == [Attribute("uid", ["ann"]), Attribute("UID", ["second"]), Attribute("mail", ["ann@example.org"])])
        #expect(kept.dn == "uid=ann")
        let all = entry.keepingAttributes { _ in true }
        #expect(all == entry)
        #expect(entry.keepingAttributes { _ in false }.attributes.isEmpty)
    }

    @Test func attributeNamesFindTheFirstNameWithoutRegardToCase() {
        let names = AttributeNames(["uid", "misContactRef", "UID"])
        func index(_ name: String) -> Int? { Array(name.utf8).withUnsafeBytes { names.index(of: $0) } }
        #expect(index("uid") == 0 && index("Uid") == 0)
        #expect(index("MISCONTACTREF") == 1)
        #expect(index("misContactRefs") == nil && index("") == nil)
    }
}
