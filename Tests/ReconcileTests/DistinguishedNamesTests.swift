import Testing

@testable import Reconcile

@Suite struct DistinguishedNamesTests {
    /// The byte-wise ASCII path must fold exactly as the Character path does.
    @Test(arguments: [
        "uid=Alice,ou=Parents,dc=example,dc=org",
        "UID=a, OU=Parents , dc=Example,dc=ORG",
        "  uid = ann  smith ,ou=Parents",
        "cn=Mary  Jones,ou=Groups,dc=x",
        "uid=o\\2Cbrien,ou=P ,dc=x ",
        "",
        " ",
        "=,= ,",
        "uid=ZZ@[`{,ou=a",
    ])
    func asciiPathFoldsAsTheCharacterPathDoes(_ dn: String) {
        #expect(DistinguishedNames.comparable(dn) == DistinguishedNames.comparableByCharacter(dn))
    }

    @Test func randomASCIIFoldsAlike() {
        let alphabet = Array("aZ =,\\+#;Mx9.-")
        var state: UInt64 = 7
        for _ in 0..<2_000 {
            var dn = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for index in 0..<Int(state >> 59) + 1 {
                dn.append(alphabet[Int((state >> UInt64(index % 50)) % UInt64(alphabet.count))])
            }
            #expect(DistinguishedNames.comparable(dn) == DistinguishedNames.comparableByCharacter(dn))
        }
    }

    @Test func nonASCIIStillFoldsByUnicode() {
        #expect(DistinguishedNames.comparable("uid=ZOË ,ou=Parents") == "uid=zoë,ou=parents")
    }
}
