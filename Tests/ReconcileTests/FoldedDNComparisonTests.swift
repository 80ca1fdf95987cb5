import Testing

@testable import Reconcile

/// The comparisons that avoid folding every DN (`comparable(_:equals:)`, `FoldedDNs`) against the folded forms.
struct FoldedDNComparisonTests {
    /// Short DNs from an alphabet of what folding treats specially (spaces, `,`, `=`, capitals, non-ASCII).
    static func dns(count: Int, seed: UInt64) -> [String] {
        let alphabet = Array("aA =,Bb é Z,=")
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60)
            return String((0..<length).map { index in alphabet[Int((state >> UInt64(index * 4 % 56)) % UInt64(alphabet.count))] })
        }
    }

    @Test func equalsAnswersAsComparingTheFoldedFormsDoes() {
        let dns = Self.dns(count: 400, seed: 11) + ["uid=A , ou=P", "UID=a,ou=p", "uid=a,ou=p ", " uid = a ,ou=p", "uid=é,ou=p", "UID=É,OU=P"]
        var equal = 0
        for dn in dns {
            for other in dns.prefix(120) {
                let key = DistinguishedNames.comparable(other)
                let expected = DistinguishedNames.comparable(dn) == key
                #expect(DistinguishedNames.comparable(dn, equals: key) == expected, "\(dn) | \(other)")
                if expected { equal += 1 }
            }
        }
        #expect(equal > dns.prefix(120).count, "the DNs include different spellings of one DN")
    }

    @Test func foldedDNsFindWhatTheFoldedSetFinds() {
        let members = Set(Self.dns(count: 60, seed: 5))
        let folded = Set(members.map(DistinguishedNames.comparable))
        let set = FoldedDNs(members)
        for dn in Self.dns(count: 300, seed: 9) + Array(members) + members.map({ $0.uppercased() }) {
            #expect(set.contains(dn) == folded.contains(DistinguishedNames.comparable(dn)), "\(dn)")
        }
    }
}
