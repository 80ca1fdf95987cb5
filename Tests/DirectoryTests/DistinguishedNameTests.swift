import CLDAP
import Testing

@testable import Directory

/// Values that have broken LDAP tools before: each must survive a DN round trip unchanged.
let hostileValues = [
    "*)(uid=*", "back\\slash", "Smith, John", "a+b", "say \"hi\"", "x=y", "#1 Dad", " leading space",
    "trailing space ", "nul\u{0}inside", "Müller-Łukasz Ørsted", "semi;colon", "<angle>", "  ", "#",
]

@Suite struct DistinguishedNameTests {
    @Test func escapesEverySpecialCharacterRFC4514Names() {
        #expect(DistinguishedName.escape("Smith, John") == "Smith\\, John")
        #expect(DistinguishedName.escape("a+b") == "a\\+b")
        #expect(DistinguishedName.escape("q\"<>;\\") == "q\\\"\\<\\>\\;\\\\")
        #expect(DistinguishedName.escape("#hash") == "\\#hash")
        #expect(DistinguishedName.escape("mid#dle") == "mid#dle")
        #expect(DistinguishedName.escape(" lead") == "\\ lead")
        #expect(DistinguishedName.escape("trail ") == "trail\\ ")
        #expect(DistinguishedName.escape("in side") == "in side")
        #expect(DistinguishedName.escape("nul\u{0}") == "nul\\00")
        #expect(DistinguishedName.escape("Müller") == "Müller")
    }

    @Test(arguments: hostileValues)
    func hostileValueRoundTripsThroughStringForm(_ value: String) throws {
        let parent = try DistinguishedName(parsing: "ou=Parents,dc=example,dc=org")
        let dn = DistinguishedName(type: "cn", value: value, under: parent)
        let parsed = try DistinguishedName(parsing: dn.description)
        #expect(parsed == dn)
        #expect(parsed.leafValue == value)
        #expect(parsed.rdns.count == 4)
    }

    @Test(arguments: hostileValues)
    func libldapAgreesWithOurEscaping(_ value: String) throws {
        let dn = DistinguishedName(type: "cn", value: value, under: try DistinguishedName(parsing: "dc=org"))
        #expect(libldapLeafValue(dn.description) == Array(value.utf8))
    }

    @Test func parsesHexEscapesAsUTF8Bytes() throws {
        let dn = try DistinguishedName(parsing: "cn=M\\C3\\BCller,dc=org")
        #expect(dn.leafValue == "Müller")
    }

    @Test func parsesMultiValuedRDNsAndSpacesAroundSeparators() throws {
        let dn = try DistinguishedName(parsing: "UID=Alice + cn=A , OU=People,dc=Example,dc=org")
        #expect(dn.rdns.count == 4)
        #expect(dn.rdns[0].map(\.value) == ["Alice", "A"])
        #expect(dn.rdns[1][0].value == "People")
    }

    @Test func keepsEscapedTrailingSpaceButDropsUnescapedOne() throws {
        #expect(try DistinguishedName(parsing: "cn=a\\ ,dc=org").leafValue == "a ")
        #expect(try DistinguishedName(parsing: "cn=a  ,dc=org").leafValue == "a")
    }

    @Test(arguments: ["uid=alice,,dc=x", "=alice", "uid", "cn=a\"b", "cn=trailing\\", "cn=\\zz", "cn=#abc"])
    func rejectsMalformedDNsNamingThePosition(_ text: String) {
        #expect(throws: DNSyntaxError.self) { try DistinguishedName(parsing: text) }
    }

    @Test func syntaxErrorSaysWhereAndWhat() {
        do {
            _ = try DistinguishedName(parsing: "uid=alice,,dc=x")
            Issue.record("should have thrown")
        } catch {
            #expect(error.offset == 10)
            #expect(error.description.contains("character 11"))
        }
    }

    @Test func comparisonKeyIgnoresCaseAndEscapingStyle() throws {
        let a = try DistinguishedName(parsing: "UID=Ann,OU=Parents,DC=Example,DC=org")
        let b = try DistinguishedName(parsing: "uid=ann,ou=parents,dc=example,dc=org")
        let c = try DistinguishedName(parsing: "cn=Smith\\2C John,dc=org")
        let d = try DistinguishedName(parsing: "cn=Smith\\, John,dc=org")
        #expect(a.comparisonKey == b.comparisonKey)
        #expect(c.comparisonKey == d.comparisonKey)
        #expect(a.isWithin(try DistinguishedName(parsing: "ou=parents,dc=example,dc=org")))
        #expect(!a.isWithin(try DistinguishedName(parsing: "ou=pupils,dc=example,dc=org")))
    }

    @Test func emptyDNHasNoRDNsAndNoParent() throws {
        let empty = try DistinguishedName(parsing: "")
        #expect(empty.rdns.isEmpty)
        #expect(empty.parent == nil)
        #expect(empty.description == "")
    }
}

/// The first RDN's value as libldap parses `dn`, or nil if libldap rejects it.
private func libldapLeafValue(_ dn: String) -> [UInt8]? {
    var parsed: UnsafeMutablePointer<LDAPRDN?>?
    guard ldap_str2dn(dn, &parsed, UInt32(LDAP_DN_FORMAT_LDAPV3)) == LDAP_SUCCESS, let parsed else { return nil }
    defer { ldap_dnfree(parsed) }
    guard let rdn = parsed[0], let ava = rdn[0] else { return nil }
    let value = ava.pointee.la_value
    guard value.bv_len > 0 else { return [] }
    return value.bv_val.withMemoryRebound(to: UInt8.self, capacity: Int(value.bv_len)) {
        Array(UnsafeBufferPointer(start: $0, count: Int(value.bv_len)))
    }
}
