import Roster
import Testing

@Suite struct NameNormaliserTests {
    @Test(arguments: [
        ("DRIVER", "Driver"),
        ("JALAPEÑO-PÉREZ", "Jalapeño-Pérez"),
        ("O'NEILL", "O'Neill"),
        ("  Anna   Daly ", "Anna Daly"),
        ("McDonald", "McDonald"),
        ("de la Cruz", "de la Cruz"),
    ])
    func displayFormFixesShoutingAndSpacesButKeepsAccentsAndMixedCase(raw: String, expected: String) {
        #expect(NameNormaliser.displayForm(raw) == expected)
    }

    @Test func displayFormOfBlankNameIsNil() {
        #expect(NameNormaliser.displayForm("   ") == nil)
        #expect(NameNormaliser.displayForm(nil) == nil)
    }

    @Test func matchKeyFoldsCaseAccentsSpacesAndHyphens() {
        let key = NameNormaliser.matchKey("Jalapeño-Pérez")
        #expect(key == "jalapenoperez")
        #expect(NameNormaliser.matchKey("JALAPENO PEREZ") == key)
        #expect(NameNormaliser.matchKey("O'Neill") == NameNormaliser.matchKey("oneill"))
        #expect(NameNormaliser.matchKey("Smith") != NameNormaliser.matchKey("Smyth"))
    }

    @Test func titleTypedIntoForenameIsSplitOff() {
        let split = NameNormaliser.splitTitle(fromGiven: "Mrs. Jane")
        #expect(split.title == "Mrs.")
        #expect(split.given == "Jane")
    }

    @Test func forenameThatIsOnlyATitleWordIsKept() {
        #expect(NameNormaliser.splitTitle(fromGiven: "Miss").title == nil)
        #expect(NameNormaliser.splitTitle(fromGiven: "Misty Rose").title == nil)
    }

    @Test func wholeNameFieldSplitsIntoTitleGivenMiddleAndFamily() {
        #expect(
            NameNormaliser.splitFullName("Mr Conor Jones")
                == PersonName(title: "Mr", given: "Conor", family: "Jones"))
        #expect(
            NameNormaliser.splitFullName("Anna Mary Daly")
                == PersonName(given: "Anna", middle: "Mary", family: "Daly"))
        #expect(
            NameNormaliser.splitFullName("Dr Jan van der Berg")
                == PersonName(title: "Dr", given: "Jan", family: "van der Berg"))
        #expect(NameNormaliser.splitFullName("Smith") == PersonName(family: "Smith"))
        #expect(NameNormaliser.splitFullName(" ") == nil)
    }
}

@Suite struct EmailNormaliserTests {
    @Test(arguments: [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:john@example.com", "john@example.com"),
        ("<john@example.com>", "john@example.com"),
    ])
    func addressIsTrimmedAndLowerCased(raw: String, expected: String) {
        #expect(EmailNormaliser.normalise(raw) == expected)
    }

    @Test(arguments: ["", "n/a", "none", "john@", "@example.com", "john@localhost", "a b@example.com",
                      "a@example.com; b@example.com", "a@b@example.com"])
    func valueThatIsNotAnAddressHasNoNormalForm(raw: String) {
        #expect(EmailNormaliser.normalise(raw) == nil)
    }

    @Test func unreadableAddressKeepsItsRawValue() {
        let address = EmailNormaliser.address(" n/a ", kind: .home)
        #expect(address == EmailAddress(raw: "n/a", normalised: nil, kind: .home))
    }
}

@Suite struct PhoneNormaliserTests {
    @Test(arguments: [
        ("07700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("(020) 7946 0018", "+442079460018"),
        ("7700900123", "+447700900123"),
        ("016977 3456", "+44169773456"),
        ("+353 1 234 5678", "+35312345678"),
    ])
    func ukNumbersBecomeE164(raw: String, expected: String) {
        #expect(PhoneNormaliser.e164(raw) == expected)
    }

    @Test(arguments: ["", "ask mum", "0770090", "+44 0770 090 0123 4567", "12345", "07700 900123 ext 4"])
    func unreadableNumberHasNoE164Form(raw: String) {
        #expect(PhoneNormaliser.e164(raw) == nil)
    }
}

@Suite struct PostcodeNormaliserTests {
    @Test(arguments: [
        ("sw1a1aa", "SW1A 1AA"), (" SW1A  1AA ", "SW1A 1AA"), ("b1 1aa", "B1 1AA"), ("M60 1NW", "M60 1NW"),
        ("EC1V 9HX", "EC1V 9HX"), ("LS27 8RT", "LS27 8RT"), ("gir0aa", "GIR 0AA"),
    ])
    func postcodeIsUpperCasedWithOneSpace(raw: String, expected: String) {
        #expect(PostcodeNormaliser.normalise(raw) == expected)
    }

    @Test(arguments: ["", "12345", "SW1A", "SW1A 1A1", "ZZZZZ 1AA"])
    func valueThatIsNotAPostcodeHasNoNormalForm(raw: String) {
        #expect(PostcodeNormaliser.normalise(raw) == nil)
    }
}

@Suite struct RelationshipNormaliserTests {
    @Test(arguments: [
        ("PAM", Relationship.mother), ("Mum", .mother), ("PAF", .father), ("Dad", .father),
        ("Step-Mother", .stepMother), ("STF", .stepFather), ("FOM", .fosterCarer), ("Guardian", .guardian),
        ("CAR", .carer), ("REL", .other), ("Nan", .grandmother), ("OTH", .other), ("parent", .unknown),
        ("", .unknown),
    ])
    func knownValuesMapToTheDesignList(raw: String, expected: Relationship) {
        #expect(RelationshipNormaliser.normalise(raw) == expected)
    }

    @Test func unknownCodeIsNotGuessed() {
        #expect(RelationshipNormaliser.normalise("XYZ") == nil)
    }
}

@Suite struct ValueParserTests {
    @Test(arguments: [
        ("Y", TriState.yes), ("yes", .yes), ("TRUE", .yes), ("1", .yes), ("t", .yes),
        ("n", .no), ("No", .no), ("false", .no), ("0", .no), ("F", .no), ("", .unknown), ("  ", .unknown),
    ])
    func booleansReadInAnyCaseAndBlankIsUnknown(raw: String, expected: TriState) {
        #expect(ValueParser.triState(raw) == expected)
    }

    @Test func unreadableBooleanIsNil() {
        #expect(ValueParser.triState("maybe") == nil)
        #expect(ValueParser.triState("yes please") == nil)
        #expect(ValueParser.triState("truest") == nil)
        #expect(ValueParser.triState(" Yes ") == .yes)
    }

    @Test func datesReadIsoFirstThenUkOrderNeverUs() {
        #expect(ValueParser.date("2010-01-02") == CalendarDate(year: 2010, month: 1, day: 2))
        #expect(ValueParser.date("02/01/2010") == CalendarDate(year: 2010, month: 1, day: 2))
        #expect(ValueParser.date("1/05/2023") == CalendarDate(year: 2023, month: 5, day: 1))
        #expect(ValueParser.date("20100102") == CalendarDate(year: 2010, month: 1, day: 2))
        #expect(ValueParser.date("2010-01-02T00:00:00") == CalendarDate(year: 2010, month: 1, day: 2))
        #expect(ValueParser.date("12/31/2010") == nil)
        #expect(ValueParser.date("30/02/2010") == nil)
        #expect(ValueParser.date("soon") == nil)
    }

    @Test func priorityIsAPositiveWholeNumber() {
        #expect(ValueParser.priority(" 2 ") == 2)
        #expect(ValueParser.priority("0") == nil)
        #expect(ValueParser.priority("first") == nil)
    }
}
