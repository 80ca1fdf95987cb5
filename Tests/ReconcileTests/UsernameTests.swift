import Testing
@testable import Reconcile

@Suite("Usernames: folded, unique, never reused")
struct UsernameTests {
    func allocator(_ template: String = "{given}.{family}", maxLength: Int = 20, taken: [String] = [])
        throws -> UsernameAllocator
    {
        try UsernameAllocator(template: UsernameTemplate(template), maxLength: maxLength, unavailable: taken)
    }

    @Test(arguments: [
        ("Søren", "soren"), ("Straße", "strasse"), ("Łukasz", "lukasz"), ("Zoë", "zoe"), ("José", "jose"),
        ("Ænid", "aenid"), ("O'Brien", "obrien"), ("Smith-Jones", "smithjones"), ("Mary Jane", "maryjane"),
        ("Þór", "thor"), ("Đorđe", "dorde"),
    ])
    func lettersFoldToASCII(name: String, folded: String) {
        #expect(ASCIIFolding.fold(name) == folded)
    }

    @Test func theTemplateFillsGivenFamilyInitialAndEmailLocalPart() throws {
        #expect(try UsernameTemplate("{given}.{family}").render(given: "Zoë", family: "O'Brien", email: nil) == "zoe.obrien")
        #expect(try UsernameTemplate("{g}{family}").render(given: "Jane", family: "Smith", email: nil) == "jsmith")
        #expect(try UsernameTemplate("{email_local}").render(given: "J", family: "S", email: "Jane.Smith@example.org")
            == "jane.smith")
        #expect(try UsernameTemplate("p-{family}").render(given: "", family: "Ng", email: nil) == "p-ng")
    }

    @Test func anEmptyPartLeavesNoDoubledOrTrailingSeparator() throws {
        #expect(try UsernameTemplate("{given}.{family}").render(given: "", family: "Smith", email: nil) == "smith")
        #expect(try UsernameTemplate("{email_local}").render(given: "Jane", family: "Smith", email: nil) == "")
    }

    @Test func anUnknownPlaceholderIsAConfigErrorNamingIt() {
        #expect(throws: UsernameTemplateError.unknownPlaceholder("surname", template: "{given}.{surname}")) {
            try UsernameTemplate("{given}.{surname}")
        }
        #expect(throws: UsernameTemplateError.noPlaceholder(template: "parent")) { try UsernameTemplate("parent") }
        #expect(throws: UsernameTemplateError.unclosedPlaceholder(template: "{given")) { try UsernameTemplate("{given") }
    }

    @Test func usernamesAreCutToMaxLengthWithRoomForTheCollisionNumber() throws {
        var names = try allocator(maxLength: 10)
        #expect(names.allocate(given: "Alexandra", family: "Featherstonehaugh", email: nil) == "alexandra")
        #expect(names.allocate(given: "Alexandra", family: "Featherstonehaugh", email: nil) == "alexandra2")
        var longer = try allocator(maxLength: 11)
        #expect(longer.allocate(given: "Christopher", family: "Smith", email: nil) == "christopher")
        #expect(longer.allocate(given: "Christopher", family: "Smith", email: nil) == "christophe2")
    }

    @Test func aCollisionAddsTheNextFreeNumber() throws {
        var names = try allocator(taken: ["jane.smith", "Jane.Smith2"])
        #expect(names.allocate(given: "Jane", family: "Smith", email: nil) == "jane.smith3")
        #expect(names.allocate(given: "Jane", family: "Smith", email: nil) == "jane.smith4")
    }

    @Test func aNameEverIssuedIsNeverHandedOutAgain() throws {
        // The directory no longer has jane.smith (deleted), but the state says it was issued once.
        let everIssued = ["jane.smith"]
        var names = try allocator(taken: everIssued)
        #expect(names.allocate(given: "Jane", family: "Smith", email: nil) != "jane.smith")
    }

    @Test func aPersonKeepsTheirUsernameWhateverHappensToTheirName() throws {
        var names = try allocator()
        let kept = names.keep("jane.smith")
        #expect(kept == "jane.smith")
        // She remarried: her username stays, and the new name's username is not hers to take.
        #expect(names.allocate(given: "Jane", family: "Smith", email: nil) == "jane.smith2")
    }

    @Test func aNameThatFoldsToNothingGetsTheFallback() throws {
        var names = try allocator()
        #expect(names.allocate(given: "李", family: "王", email: nil) == "parent")
        #expect(names.allocate(given: "李", family: "王", email: nil) == "parent2")
    }

    @Test func aMaxLengthTooShortForANumberIsRefused() {
        #expect(throws: UsernameAllocatorError.maxLengthTooShort(3)) { try allocator(maxLength: 3) }
    }
}

@Suite("Name matching pieces")
struct NameMatchingTests {
    @Test(arguments: [
        ("jane", "jnae", true), ("jane", "jame", true), ("jane", "jan", true), ("jane", "janes", true),
        ("jane", "jane", false), ("jane", "jnea", false), ("jane", "june", true), ("john", "jane", false),
    ])
    func oneSlipIsOneChangeAddDropOrSwap(a: String, b: String, apart: Bool) {
        #expect(OneSlip.areOneSlipApart(a, b) == apart)
        #expect(OneSlip.areOneSlipApart(b, a) == apart)
    }

    @Test(arguments: [
        ("chris", "christopher", true), ("mike", "michael", true), ("jo", "joanne", true), ("mick", "mike", true),
        ("bill", "william", true), ("christopher", "christine", false), ("chris", "chris", false),
        ("liz", "beth", true), ("sam", "michael", false),
    ])
    func nicknamesFromTheTable(a: String, b: String, equivalent: Bool) {
        #expect(Nicknames.areEquivalent(a, b) == equivalent)
    }

    @Test(arguments: [
        ("jane", "jane", GivenNameAgreement.same), ("mary jane", "mary", .same), ("mike", "michael", .nickname),
        ("j", "jane", .initial), ("catherine", "cathrine", .slip), ("paul", "paula", nil), ("jon", "jan", nil),
        ("francis", "frances", nil), ("", "jane", nil),
    ])
    func givenNamesAgreeOrNot(a: String, b: String, agreement: GivenNameAgreement?) {
        #expect(NameCompatibility.givenAgreement(NameKey(a), NameKey(b)) == agreement)
    }
}
