import Roster
import Testing
@testable import Reconcile

/// The school's own decisions (restrictions, court-order overrides, approvals), looked-after pupils,
/// the review age, care relationships and the filter warnings (issue 8).
@Suite("Eligibility: the school's safeguarding rules")
struct SafeguardingEligibilityTests {
    let school = School("100")
        .pupil("P1", .mother("Jane Smith", id: "C1"), .father("John Smith", id: "C2"))
        .pupil("P2", .mother("Jane Smith", id: "C1"))

    func rule(_ pupil: String?, contact: String? = nil, parent: String? = nil, endsOn: CalendarDate? = nil) -> LinkRule {
        LinkRule(
            pupil: pupil.map { PupilReference(schoolID: "100", pupilID: $0) },
            person: contact.map { .contact(.id($0, school: "100")) } ?? .username(parent!), endsOn: endsOn)
    }

    func link(_ resolution: ParentResolution, _ record: String, _ pupil: String) -> LinkEligibility? {
        resolution.parent(record)?.links.first { $0.pupil.description == pupil }
    }

    @Test func aRestrictedLinkIsRefusedWhateverTheMISSays() {
        let policy = EligibilityPolicy(rules: SafeguardingRules(restrictions: LinkRules([rule("P1", contact: "C1")])))
        let resolution = resolve(school, policy: policy)
        #expect(link(resolution, "100/C1", "100/P1")?.reasons == [.restricted])
        #expect(link(resolution, "100/C1", "100/P2")?.isEligible == true)
        #expect(link(resolution, "100/C2", "100/P1")?.isEligible == true)
        #expect(ReasonCode.restricted.revokesAccess)
    }

    @Test func aRestrictionForEveryPupilCoversAllTheirChildren() {
        let policy = EligibilityPolicy(rules: SafeguardingRules(restrictions: LinkRules([rule(nil, contact: "C1")])))
        let parent = resolve(school, policy: policy).parent("100/C1")
        #expect(parent?.isEligible == false)
        #expect(parent?.links.allSatisfy { $0.reasons.contains(.restricted) } == true)
    }

    @Test func aRestrictionNamingTheUsernameReachesEveryRecordOfThePerson() {
        let policy = EligibilityPolicy(rules: SafeguardingRules(restrictions: LinkRules([rule("P1", parent: "Jane.Smith")])))
        let resolution = resolve([school], policy: policy, usernames: [.id("C1", school: "100"): "jane.smith"])
        #expect(link(resolution, "100/C1", "100/P1")?.reasons == [.restricted])
        // Without the directory's username the rule names nobody.
        #expect(link(resolve([school], policy: policy), "100/C1", "100/P1")?.isEligible == true)
    }

    /// A sync run resolves while the directory is still being read unless this says a rule needs usernames
    /// (the test above: without them such a rule names nobody).
    @Test func onlyARuleInForceNamingAUsernameNeedsTheDirectoryBeforeResolution() {
        #expect(!SafeguardingRules().namesAnyUsername)
        let byContact = LinkRules([rule("P1", contact: "C1")])
        #expect(!SafeguardingRules(restrictions: byContact, courtOrderOverrides: byContact, approvals: byContact).namesAnyUsername)
        let byUsername = LinkRules([rule("P2", contact: "C2"), rule("P1", parent: "jane.smith")])
        #expect(SafeguardingRules(restrictions: byUsername).namesAnyUsername)
        #expect(SafeguardingRules(courtOrderOverrides: byUsername).namesAnyUsername)
        #expect(SafeguardingRules(approvals: byUsername).namesAnyUsername)
        let ends = CalendarDate(year: 2026, month: 12, day: 1)!
        let ending = SafeguardingRules(restrictions: LinkRules([rule("P1", parent: "jane.smith", endsOn: ends)]))
        #expect(ending.active(on: runDate).namesAnyUsername)
        #expect(!ending.active(on: ends).namesAnyUsername)
    }

    @Test func aRestrictionEndsOnItsEndDate() {
        let ends = CalendarDate(year: 2026, month: 12, day: 1)!
        let policy = EligibilityPolicy(rules: SafeguardingRules(restrictions: LinkRules([rule("P1", contact: "C1", endsOn: ends)])))
        #expect(link(resolve([school], policy: policy, on: runDate), "100/C1", "100/P1")?.isEligible == false)
        #expect(link(resolve([school], policy: policy, on: ends), "100/C1", "100/P1")?.isEligible == true)
    }

    @Test func aReviewedOverrideKeepsALinkUnderACourtOrderFlag() {
        let flagged = School("100").pupil("P1", .contact("Gran Smith", .grandmother, id: "C9", pr: .no, courtOrder: .yes))
        #expect(link(resolve(flagged), "100/C9", "100/P1")?.reasons == [.courtOrder, .noParentalResponsibility])
        let policy = EligibilityPolicy(rules: SafeguardingRules(courtOrderOverrides: LinkRules([rule("P1", contact: "C9")])))
        let decided = link(resolve(flagged, policy: policy), "100/C9", "100/P1")
        #expect(decided?.isEligible == true)
        #expect(decided?.reasons == [.override])
    }

    @Test func anExpiredOverrideNoLongerKeepsTheLink() {
        let flagged = School("100").pupil("P1", .contact("Ann Smith", .mother, id: "C1", courtOrder: .yes))
        let ended = rule("P1", contact: "C1", endsOn: CalendarDate(year: 2026, month: 1, day: 1)!)
        let policy = EligibilityPolicy(rules: SafeguardingRules(courtOrderOverrides: LinkRules([ended])))
        #expect(link(resolve(flagged, policy: policy), "100/C1", "100/P1")?.reasons == [.courtOrder])
    }

    @Test func aRestrictionBeatsAnOverride() {
        let flagged = School("100").pupil("P1", .contact("Ann Smith", .mother, id: "C1", courtOrder: .yes))
        let policy = EligibilityPolicy(rules: SafeguardingRules(
            restrictions: LinkRules([rule("P1", contact: "C1")]), courtOrderOverrides: LinkRules([rule("P1", contact: "C1")])))
        #expect(link(resolve(flagged, policy: policy), "100/C1", "100/P1")?.reasons == [.restricted])
    }

    @Test func unknownResponsibilityUnderReviewIsListedAndGetsNothing() {
        let unknown = School("100").pupil("P1", .mother("Ann Smith", id: "C1", pr: .unknown))
        let resolution = resolve(unknown, policy: EligibilityPolicy(unknownParentalResponsibility: .review))
        #expect(resolution.parent("100/C1")?.isEligible == false)
        let items = ReviewQueue.items(resolution.parents)
        #expect(items.map(\.contact) == ["100/C1"])
        #expect(items.first?.reasons == [.awaitingReview])
        // Under deny it is refused, not queued.
        #expect(ReviewQueue.items(resolve(unknown).parents).isEmpty)
    }

    @Test func aFosterCarerCountsOnlyWhenTheSchoolListsTheRelationship() {
        let fostered = School("100").pupil("P1", .contact("Fay Carer", .fosterCarer, id: "C5", pr: .no))
        #expect(resolve(fostered).parent("100/C5")?.reasons == [.noParentalResponsibility])
        let listed = resolve(fostered, policy: EligibilityPolicy(careRelationships: [.fosterCarer]))
        #expect(listed.parent("100/C5")?.reasons == [.carer])
        let other = resolve(fostered, policy: EligibilityPolicy(careRelationships: [.kinshipCarer]))
        #expect(other.parent("100/C5")?.isEligible == false)
    }

    @Test func aLookedAfterPupilGetsNoLinkUntilApproved() {
        let inCare = school.lookedAfter("P1")
        let waiting = resolve(inCare)
        #expect(link(waiting, "100/C1", "100/P1")?.reasons == [.awaitingApproval])
        #expect(link(waiting, "100/C1", "100/P2")?.isEligible == true)
        #expect(ReviewQueue.items(waiting.parents).map(\.contact) == ["100/C1", "100/C2"])

        let policy = EligibilityPolicy(rules: SafeguardingRules(approvals: LinkRules([rule("P1", contact: "C2")])))
        let approved = resolve(inCare, policy: policy)
        #expect(link(approved, "100/C2", "100/P1")?.reasons == [.parentalResponsibility, .approved])
        #expect(link(approved, "100/C1", "100/P1")?.isEligible == false)

        let auto = resolve(inCare, policy: EligibilityPolicy(lookedAfter: .auto))
        #expect(link(auto, "100/C1", "100/P1")?.isEligible == true)
    }

    @Test func anApprovalDoesNotLiftACourtOrder() {
        let inCare = School("100").pupil("P1", .contact("Ann Smith", .mother, id: "C1", courtOrder: .yes)).lookedAfter("P1")
        let policy = EligibilityPolicy(rules: SafeguardingRules(approvals: LinkRules([rule("P1", contact: "C1")])))
        #expect(link(resolve(inCare, policy: policy), "100/C1", "100/P1")?.reasons == [.courtOrder])
    }

    @Test func aPupilAtTheReviewAgeIsTreatedLikeALookedAfterOne() {
        // 18 on the run date (29 November 2026), and 18 tomorrow.
        let adult = School("100").pupil("P1", .mother("Ann Smith", id: "C1")).born("P1", CalendarDate(year: 2008, month: 11, day: 29)!)
        #expect(resolve(adult).parent("100/C1")?.reasons == [.awaitingApproval])
        let almost = School("100").pupil("P1", .mother("Ann Smith", id: "C1")).born("P1", CalendarDate(year: 2008, month: 11, day: 30)!)
        #expect(resolve(almost).parent("100/C1")?.isEligible == true)
        // A school in Scotland may choose 16.
        let sixteen = School("100").pupil("P1", .mother("Ann Smith", id: "C1")).born("P1", CalendarDate(year: 2010, month: 1, day: 1)!)
        #expect(resolve(sixteen, policy: EligibilityPolicy(reviewAge: 16)).parent("100/C1")?.reasons == [.awaitingApproval])
        #expect(resolve(sixteen).parent("100/C1")?.isEligible == true)
    }

    @Test func ageCountsWholeYearsFromTheBirthday() {
        let born = CalendarDate(year: 2008, month: 2, day: 29)!
        #expect(EligibilityPolicy.age(born: born, on: CalendarDate(year: 2026, month: 2, day: 28)!) == 17)
        #expect(EligibilityPolicy.age(born: born, on: CalendarDate(year: 2026, month: 3, day: 1)!) == 18)
    }

    @Test func aParentDroppedOnlyByAFilterIsWarnedAbout() {
        let grandparentGuardian = School("100").pupil("P1", .contact("Gran Smith", .grandmother, id: "C9", pr: .yes, priority: 3))
        let policy = EligibilityPolicy(relationships: [.mother, .father], maxPriority: 2)
        let resolution = resolve(grandparentGuardian, policy: policy)
        let warnings = ReviewQueue.filterWarnings(resolution.parents)
        #expect(warnings.count == 1)
        #expect(warnings.first?.code == .parentFiltered)
        #expect(warnings.first?.message.contains("100/C9") == true)
        // Without parental responsibility, or refused for another reason too, there is nothing to warn about.
        let noPR = School("100").pupil("P1", .grandmother("Gran Smith", id: "C9"))
        #expect(ReviewQueue.filterWarnings(resolve(noPR, policy: policy).parents).isEmpty)
        let flagged = School("100").pupil("P1", .contact("Gran Smith", .grandmother, id: "C9", pr: .yes, courtOrder: .yes))
        #expect(ReviewQueue.filterWarnings(resolve(flagged, policy: policy).parents).isEmpty)
    }

    @Test func everyReasonHasWordsInEveryJurisdiction() {
        for reason in ReasonCode.allCases {
            for jurisdiction in Jurisdiction.allCases {
                #expect(!reason.description(in: jurisdiction).isEmpty)
            }
        }
        #expect(ReasonCode.carer.description(in: .scotland).contains("s135"))
        #expect(ReasonCode.carer.description(in: .wales).contains("s576"))
    }
}
