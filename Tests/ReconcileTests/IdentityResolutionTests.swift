import Roster
import Testing
@testable import Reconcile

@Suite("Identity resolution: who is the same person")
struct IdentityResolutionTests {
    @Test func siblingsAtTwoSchoolsShareOneParentJoinedByEmail() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "jane.smith@example.org")),
            School("200").pupil("P7", .mother("Jane Smith", id: "C55", email: "Jane.Smith@Example.org ")))
        #expect(result.parents.count == 1)
        let parent = try! #require(result.parent("100/C1"))
        #expect(parent.children.map(\.description) == ["100/P1", "200/P7"])
        #expect(parent.matchedOn == [.email])
        #expect(parent.id == "100/C1")
    }

    @Test func sameContactIDInTwoFilesOfOneSchoolIsOnePerson() {
        let result = resolve(
            School("100", source: "autumn.csv").pupil("P1", .mother("Jane Smith", id: "C1")),
            School("100", source: "late-joiners.csv").pupil("P2", .mother("J. Smyth", id: "C1")))
        #expect(result.parents.count == 1)
        #expect(result.parents[0].matchedOn == [.contactID])
        #expect(result.parents[0].children.count == 2)
    }

    @Test func sharedFamilyEmailDoesNotMergeMotherAndFather() {
        let shared = "the.smiths@example.org"
        let result = resolve(School("100", ids: false).pupil(
            "P1", .mother("Jane Smith", email: shared), .father("John Smith", email: shared)))
        #expect(result.parents.count == 2)
        #expect(result.warnings.contains { $0.code == .sharedEmail && $0.message.contains(shared) })
    }

    @Test func sharedFamilyEmailJoinsOnlyTheVerySameGivenName() {
        let shared = "the.smiths@example.org"
        let result = resolve(
            School("100").pupil("P1", .mother("Joanne Smith", id: "C1", email: shared), .father("John Smith", id: "C2", email: shared)),
            School("200").pupil("P9", .mother("Joanne Smith", id: "C7", email: shared)),
            School("300").pupil("P5", .mother("Jo Smith", id: "C3", email: shared)))
        #expect(result.same("100/C1", "200/C7"))
        #expect(!result.same("100/C2", "200/C7"))
        // A nickname is not enough on a family's address: Jo could be Joanne or her daughter Josephine.
        #expect(!result.same("100/C1", "300/C3"))
        #expect(result.nearMiss("100/C1", "300/C3")?.reason == .sharedKeyOnly)
    }

    @Test func twinsGetOneMotherAndOneFatherEach() {
        let mother = Person.mother("Jane Smith", email: "jane@example.org", at: .highStreet)
        let father = Person.father("John Smith", mobile: "07700 900123", at: .highStreet)
        let result = resolve(School("100", ids: false).pupil("T1", mother, father).pupil("T2", mother, father))
        #expect(result.parents.count == 2)
        #expect(result.same("100/T1/1", "100/T2/1"))
        #expect(result.same("100/T1/2", "100/T2/2"))
        #expect(result.parent("100/T1/1")?.children.count == 2)
    }

    @Test func grandfatherWithTheFathersNameAtTheSameAddressStaysTwoPeople() {
        let father = Person.father("John Smith", at: .highStreet)
        let grandfather = Person.grandfather("John Smith", at: .highStreet)
        let result = resolve(School("100", ids: false).pupil("P1", father, grandfather).pupil("P2", father, grandfather))
        #expect(result.parents.count == 2)
        #expect(result.same("100/P1/1", "100/P2/1"))
        #expect(result.same("100/P1/2", "100/P2/2"))
        #expect(!result.same("100/P1/1", "100/P1/2"))
        #expect(result.nearMisses.contains { [.samePupil, .generation].contains($0.reason) })
    }

    @Test func grandparentAndParentOfTheSameNameInDifferentFamiliesAreNotMerged() {
        // Two sources, no shared pupil: only the generation tells them apart.
        let result = resolve(
            School("100").pupil("P1", .father("John Smith", id: "C1", at: .highStreet)),
            School("200").pupil("P2", .grandfather("John Smith", id: "C9", at: .highStreet)))
        #expect(!result.same("100/C1", "200/C9"))
        #expect(result.nearMiss("100/C1", "200/C9")?.reason == .generation)
    }

    @Test func contactsOfTheSamePupilAreNeverMergedEvenWithEveryDetailEqual() {
        let twin = Person.contact("Sam Taylor", .other, email: "sam@example.org", at: .highStreet)
        let result = resolve(School("100", ids: false).pupil("P1", twin, twin))
        #expect(result.parents.count == 2)
        #expect(result.nearMiss("100/P1/1", "100/P1/2")?.reason == .samePupil)
    }

    @Test func separatedParentsAtTwoAddressesAreTwoPeopleEachJoinedAcrossSchools() {
        let mother = Person.mother("Jane Smith", at: .highStreet)
        let father = Person.father("John Smith", at: .millLane)
        let result = resolve(School("100", ids: false).pupil("P1", mother, father),
                             School("200", ids: false).pupil("P2", mother, father))
        #expect(result.parents.count == 2)
        #expect(result.same("100/P1/1", "200/P2/1"))
        #expect(result.same("100/P1/2", "200/P2/2"))
        #expect(result.parent("100/P1/1")?.matchedOn == [.address])
    }

    @Test func nicknameJoinsChrisAndChristopherSharingAMobile() {
        let result = resolve(
            School("100").pupil("P1", .father("Chris Jones", id: "C1", mobile: "07700 900123")),
            School("200").pupil("P2", .father("Christopher Jones", id: "C2", mobile: "07700900123")))
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.matchedOn == [.mobile, .nickname])
    }

    @Test func upperCaseNamesMatchTheirMixedCaseRecords() {
        let result = resolve(
            School("100").pupil("P1", .mother("JANE SMITH", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")))
        #expect(result.same("100/C1", "200/C2"))
    }

    @Test func lostAccentsStillMatch() {
        let result = resolve(
            School("100").pupil("P1", .mother("Zoë Brontë", id: "C1", email: "zoe@example.org")),
            School("200").pupil("P2", .mother("Zoe Bronte", id: "C2", email: "zoe@example.org")))
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.matchedOn == [.email])
    }

    @Test func aTitleTypedIntoTheForenameIsIgnored() {
        let result = resolve(
            School("100").pupil("P1", .mother("Mrs Jane Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")))
        #expect(result.same("100/C1", "200/C2"))
    }

    @Test func aSwappedLetterSlipStillMatches() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jnae Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")))
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.matchedOn == [.email, .slip])
    }

    @Test func aSlipAtTheLastLetterIsADifferentPersonPaulAndPaula() {
        let shared = "paul.and.paula@example.org"
        let result = resolve(School("100").pupil(
            "P1", .contact("Paul Green", .other, id: "C1", email: shared),
            .contact("Paula Green", .other, id: "C2", email: shared)))
        #expect(!result.same("100/C1", "100/C2"))
        #expect(result.warnings.contains { $0.code == .sharedEmail })
    }

    @Test func aMissingEmailIsBridgedByTheMobile() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", mobile: "07700 900123")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org", mobile: "+447700900123")))
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.email == "jane@example.org")
    }

    @Test func phoneFormatsAllReadAsOneMobile() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", mobile: "07700 900123")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", mobile: "+44 (0)7700-900-123")),
            School("300").pupil("P3", .mother("Jane Smith", id: "C3", mobile: "0044 7700 900123")))
        #expect(result.same("100/C1", "200/C2", "300/C3"))
    }

    @Test func anAbbreviatedStreetIsTheSameAddress() {
        let result = resolve(
            School("100").pupil("P1", .father("John Smith", id: "C1", at: Address("12, High Street", "ab1 2cd"))),
            School("200").pupil("P2", .father("John Smith", id: "C2", at: Address("12 HIGH ST", "AB12CD"))))
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.matchedOn == [.address])
    }

    @Test func theSameParentInACTFAndACSVIsOnePerson() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org")),
            School("200", ids: false).pupil("P2", .mother("JANE SMITH", email: "jane@example.org")))
        #expect(result.same("100/C1", "200/P2/1"))
    }

    @Test func oneSchoolInBothFormatsListsTheSamePupilsParentTwiceAndTheyMerge() {
        // Contacts of one pupil are distinct only within one source: a CTF and a CSV of the same school
        // list the same mother under the same pupil.
        let mother = Person.mother("Jane Smith", id: "C1", email: "jane@example.org")
        let result = resolve(
            School("100", source: "contacts.csv").pupil("P1", mother),
            School("100", source: "transfer.xml", ids: false).pupil("P1", mother))
        #expect(result.same("100/C1", "100/P1/1"))
    }

    @Test func theSameNameWithNothingElseInCommonStaysTwoAndIsANearMiss() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "a@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "b@example.org")))
        #expect(result.parents.count == 2)
        #expect(result.nearMiss("100/C1", "200/C2")?.reason == .sameNameOnly)
    }

    @Test func anInitialJoinsOnAPersonalKeyButNotOnTheAddressAlone() {
        let byEmail = resolve(
            School("100").pupil("P1", .mother("J Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")))
        #expect(byEmail.same("100/C1", "200/C2"))
        let byAddress = resolve(
            School("100").pupil("P1", .contact("J Smith", .other, id: "C1", at: .highStreet)),
            School("200").pupil("P2", .contact("Jane Smith", .other, id: "C2", at: .highStreet)))
        #expect(!byAddress.same("100/C1", "200/C2"))
        #expect(byAddress.nearMiss("100/C1", "200/C2")?.reason == .initialOnly)
    }

    @Test func anInitialNeverChainsJaneAndJohnTogether() {
        let shared = Address.highStreet
        let result = resolve(
            School("100").pupil("P1", .contact("J Smith", .other, id: "C1", email: "j@example.org", at: shared)),
            School("200").pupil("P2", .contact("Jane Smith", .other, id: "C2", email: "j@example.org", at: shared)),
            School("300").pupil("P3", .contact("John Smith", .other, id: "C3", email: "j@example.org", at: shared)))
        #expect(!result.same("200/C2", "300/C3"))
    }

    @Test func aSlipAndANicknameOfOneNameJoinThroughTheFullName() {
        let result = resolve(
            School("100").pupil("P1", .father("Michael Griffiths", id: "C1", mobile: "07700 900123")),
            School("200").pupil("P2", .father("Micahel Griffiths", id: "C2", mobile: "07700 900123")),
            School("300").pupil("P3", .father("Mick Griffiths", id: "C3", mobile: "07700 900123")))
        #expect(result.same("100/C1", "200/C2", "300/C3"))
    }

    @Test func aNicknameNeverBridgesChristineAndChristopher() {
        let home = Address.highStreet
        let result = resolve(
            School("100").pupil("P1", .contact("Chris Smith", .other, id: "C1", at: home)),
            School("200").pupil("P2", .contact("Christine Smith", .other, id: "C2", at: home)),
            School("300").pupil("P3", .contact("Christopher Smith", .other, id: "C3", at: home)))
        #expect(!result.same("200/C2", "300/C3"))
    }

    @Test func hyphenatedAndSpacedFamilyNamesMatch() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith-Jones", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith Jones", id: "C2", email: "jane@example.org")),
            School("300").pupil("P3", .mother("Jane Jones", id: "C3", email: "jane@example.org")))
        #expect(result.same("100/C1", "200/C2", "300/C3"))
    }

    @Test func differentFamilyNamesNeverMergeWhateverTheyShare() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Brown", id: "C2", email: "jane@example.org")))
        #expect(!result.same("100/C1", "200/C2"))
    }

    @Test func conflictingEmailsUseTheHighestPriorityLinksValueAndAreReported() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "old@example.org", mobile: "07700900123", priority: 2)),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "new@example.org", mobile: "07700900123", priority: 1)))
        let parent = try! #require(result.parent("100/C1"))
        #expect(result.same("100/C1", "200/C2"))
        #expect(parent.email == "new@example.org")
        #expect(result.warnings.contains { $0.code == .conflictingEmail && $0.message.contains("using new@example.org") })
    }

    @Test func oneSchoolListingAPersonTwiceIsToldToMergeThemInTheMIS() {
        let result = resolve(School("100")
            .pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org"))
            .pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")))
        #expect(result.same("100/C1", "100/C2"))
        #expect(result.warnings.contains { $0.code == .duplicateContact && $0.school == "100" })
    }

    @Test func anOfficeNumberGivenForEveryContactJoinsNoOne() {
        var school = School("100")
        for n in 1...(BlockingKeys.largestBlock + 1) {
            school = school.pupil("P\(n)", .mother("Jane Smith", id: "C\(n)", mobile: "07700 900999"))
        }
        let result = resolve(school)
        #expect(result.parents.count == BlockingKeys.largestBlock + 1)
        #expect(result.warnings.contains { $0.code == .overSharedKey })
    }
}

@Suite("Dedupe overrides")
struct DedupeOverrideTests {
    @Test func aMergeOverrideJoinsRecordsThatShareNothing() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1")),
            School("200").pupil("P2", .mother("Jane Brown", id: "C2")),
            overrides: [DedupeOverride(action: .merge, record: "100/C1", otherRecord: "200/C2")])
        #expect(result.same("100/C1", "200/C2"))
        #expect(result.parent("100/C1")?.matchedOn == [.override])
    }

    @Test func aSplitOverrideSeparatesRecordsThatShareAnEmail() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org")),
            overrides: [DedupeOverride(action: .split, record: "100/C1", otherRecord: "200/C2")])
        #expect(!result.same("100/C1", "200/C2"))
        #expect(result.nearMisses.isEmpty)
    }

    @Test func aSplitOverrideKeepsApartWhatAThirdRecordWouldChain() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1", email: "jane@example.org")),
            School("200").pupil("P2", .mother("Jane Smith", id: "C2", email: "jane@example.org", at: .highStreet)),
            School("300").pupil("P3", .mother("Jane Smith", id: "C3", at: .highStreet)),
            overrides: [DedupeOverride(action: .split, record: "100/C1", otherRecord: "300/C3")])
        #expect(!result.same("100/C1", "300/C3"))
    }

    @Test func anOverrideNamingARecordNoSourceHoldsIsReported() {
        let result = resolve(
            School("100").pupil("P1", .mother("Jane Smith", id: "C1")),
            overrides: [DedupeOverride(action: .merge, record: "100/C1", otherRecord: "100/C404", origin: "o.csv:2")])
        #expect(result.warnings.contains { $0.code == .overrideUnknownRecord && $0.message.contains("100/C404") })
    }
}
