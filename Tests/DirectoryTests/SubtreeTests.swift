import Testing

@testable import Directory

@Suite struct SubtreeTests {
    /// The byte-wise answer is `isWithin` on parsed DNs, for plain DNs and for every form that is parsed.
    @Test(arguments: [
        "uid=ann,ou=Parents,dc=example,dc=org", "UID=Ann,OU=parents,DC=Example,DC=org", "ou=Parents,dc=example,dc=org",
        "uid=ann, ou=Parents, dc=example, dc=org", "uid=ann,ou=Parents ,dc=example,dc=org", "cn=Ann Smith,ou=Parents,dc=example,dc=org",
        "cn=Smith\\, Ann,ou=Parents,dc=example,dc=org", "uid=a\\,ou=Parents,dc=example,dc=org", "cn=a+uid=b,ou=Parents,dc=example,dc=org",
        "uid=ann,ou=Pupils,dc=example,dc=org", "uid=ann,ou=MoreParents,dc=example,dc=org", "uid=ann,ou=Parents,dc=example,dc=com",
        "dc=example,dc=org", "uid=ann,ou=Parents,dc=example,dc=org,dc=extra", "cn=Müller,ou=Parents,dc=example,dc=org",
        "ou=Parents\\,dc=example,dc=org", "uid=ann,ou=Parents,dc=example,dc=org ", "not a dn", "", "uid=x,ou=Pärents,dc=example,dc=org",
    ])
    func agreesWithParsedDNs(_ dn: String) throws {
        let subtree = try Subtree(parsing: "ou=Parents,dc=example,dc=org")
        let parsed = try? DistinguishedName(parsing: dn)
        #expect(subtree.contains(dn) == (parsed?.isWithin(subtree.base) ?? false), "\(dn)")
    }

    @Test func aPlainDNIsAnsweredByItsBytes() throws {
        let subtree = try Subtree(parsing: "ou=Parents, dc=Example, dc=org")
        #expect(subtree.contains("uid=ann,ou=parents,dc=example,dc=org"))
        #expect(subtree.contains("uid=ann,ou=Parents,dc=example,dc=org"))
        #expect(!subtree.contains("uid=ann,ou=Pupils,dc=example,dc=org"))
        #expect(!subtree.contains("uid=ann,xou=Parents,dc=example,dc=org"))
        #expect(Subtree.plainContains(Array("uid=ann,ou=parents,dc=example,dc=org".utf8), key: Array("ou=parents,dc=example,dc=org".utf8)) == true)
        #expect(Subtree.plainContains(Array("cn=a\\,ou=parents,dc=example,dc=org".utf8), key: Array("ou=parents,dc=example,dc=org".utf8)) == nil)
        #expect(Subtree.plainContains(Array("cn=a ,ou=parents,dc=example,dc=org".utf8), key: Array("ou=parents,dc=example,dc=org".utf8)) == nil)
    }

    @Test func aBaseWithEscapesComparesParsedDNs() throws {
        let subtree = try Subtree(parsing: "ou=Parents\\, Carers,dc=example,dc=org")
        #expect(subtree.contains("uid=ann,ou=Parents\\, Carers,dc=example,dc=org"))
        #expect(subtree.contains("uid=ann,ou=parents\\2C carers,dc=example,dc=org"))
        #expect(!subtree.contains("uid=ann,ou=Carers,dc=example,dc=org"))
    }
}

@Suite struct ComparisonKeyOfStringTests {
    /// The key of a plain DN (folded bytes, not parsed) is the key of the parsed DN, and every other form
    /// is parsed as before.
    @Test(arguments: [
        "uid=Ann,ou=Parents,dc=example,dc=org", "UID=ann,OU=PARENTS,DC=EXAMPLE,DC=ORG", "cn=Ann Smith,ou=Staff,dc=example,dc=org",
        "cn=a=b,dc=org", "uid=,dc=org", "", "dc=org", "0.9.2342.19200300.100.1.1=Ann,dc=org",
        "uid=ann, ou=Parents", "cn=Smith\\, Ann,dc=org", "cn=b+uid=a,dc=org", "cn=Müller,dc=org", "cn=#1 Dad,dc=org",
        "cn=trailing ,dc=org", " uid=ann,dc=org", "uid=ann,,dc=org", "not a dn",
    ])
    func plainKeyIsTheParsedKey(_ dn: String) {
        let parsed = (try? DistinguishedName(parsing: dn))?.comparisonKey ?? dn.lowercased()
        #expect(DistinguishedName.comparisonKey(of: dn) == parsed, "\(dn)")
    }
}
