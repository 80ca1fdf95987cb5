import Testing

@testable import Directory

@Suite struct FilterTests {
    @Test func escapesTheFiveCharactersOfRFC4515() {
        #expect(Filter.escape("*)(uid=*") == "\\2a\\29\\28uid=\\2a")
        #expect(Filter.escape("back\\slash") == "back\\5cslash")
        #expect(Filter.escape("nul\u{0}") == "nul\\00")
        #expect(Filter.escape("Müller, #1 +=\"") == "Müller, #1 +=\"")
    }

    @Test func injectionAttemptStaysOneEqualityAssertion() {
        let filter = Filter.and([.equal("objectClass", "misParent"), .equal("uid", "*)(uid=*")])
        #expect(filter.description == "(&(objectClass=misParent)(uid=\\2a\\29\\28uid=\\2a))")
    }

    @Test func composesOrNotAndPresence() {
        let filter = Filter.or([.not(.present("mail")), .equal("misAccountStatus", "disabled")])
        #expect(filter.description == "(|(!(mail=*))(misAccountStatus=disabled))")
    }

    @Test func orderingAssertionEscapesItsValue() {
        let filter = Filter.and([.present("uid"), .greaterOrEqual("entryCSN", "20261130101010.000000Z#000000#000#000000")])
        #expect(filter.description == "(&(uid=*)(entryCSN>=20261130101010.000000Z#000000#000#000000))")
        #expect(Filter.greaterOrEqual("cn", "a)(uid=*").description == "(cn>=a\\29\\28uid=\\2a)")
    }
}
