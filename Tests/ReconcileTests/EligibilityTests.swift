import Roster
import Testing
@testable import Reconcile

@Suite("Eligibility: which links and people get an account")
struct EligibilityTests {
    /// The decision for a single link of a mother with these facts.
    func decide(
        pr: TriState = .yes, courtOrder: TriState = .unknown, withdrawn: TriState = .unknown,
        relationship: Relationship = .mother, priority: Int? = 1, onRoll: Bool = true,
        policy: EligibilityPolicy = EligibilityPolicy()
    ) -> LinkEligibility {
        let pupil = PupilReference(schoolID: "100", pupilID: "P1")
        let link = ContactLink(
            pupil: pupil, contact: .id("C1", school: "100"), origin: SourceLocation(file: "t.csv", line: 2),
            relationship: relationship, priority: priority, hasParentalResponsibility: pr, hasCourtOrder: courtOrder,
            accessWithdrawn: withdrawn)
        return Eligibility.decide(link, isOnRoll: onRoll, policy: policy)
    }

    @Test func aMotherWithParentalResponsibilityOnRollIsEligible() {
        let decision = decide()
        #expect(decision.isEligible)
        #expect(decision.reasons == [.parentalResponsibility])
    }

    @Test func aCourtOrderRevokesTheLinkEvenWithParentalResponsibility() {
        let decision = decide(courtOrder: .yes)
        #expect(!decision.isEligible)
        #expect(decision.reasons == [.courtOrder])
    }

    @Test func noParentalResponsibilityIsRefusedWhenRequired() {
        #expect(decide(pr: .no).reasons == [.noParentalResponsibility])
        #expect(decide(pr: .no, policy: EligibilityPolicy(requireParentalResponsibility: false)).isEligible)
    }

    @Test func unknownParentalResponsibilityFollowsThePolicy() {
        #expect(decide(pr: .unknown).reasons == [.parentalResponsibilityUnknown])
        #expect(!decide(pr: .unknown).isEligible)
        let allowed = decide(pr: .unknown, policy: EligibilityPolicy(unknownParentalResponsibility: .allow))
        #expect(allowed.isEligible)
        let review = decide(pr: .unknown, policy: EligibilityPolicy(unknownParentalResponsibility: .review))
        #expect(!review.isEligible)
        #expect(review.reasons == [.awaitingReview])
    }

    @Test func aListedCareRelationshipCountsWithoutParentalResponsibility() {
        let policy = EligibilityPolicy(careRelationships: [.fosterCarer])
        let carer = decide(pr: .no, relationship: .fosterCarer, policy: policy)
        #expect(carer.isEligible)
        #expect(carer.reasons == [.carer])
        #expect(!decide(pr: .no, relationship: .fosterCarer).isEligible)
    }

    @Test func theSourceWithdrawingAccessRevokesTheLink() {
        #expect(decide(withdrawn: .yes).reasons == [.sourceWithdrawn])
    }

    @Test func aRelationshipOutsideTheAllowListIsRefused() {
        let policy = EligibilityPolicy(relationships: [.mother, .father])
        #expect(decide(relationship: .grandmother, policy: policy).reasons == [.relationshipNotAllowed])
        #expect(decide(relationship: .mother, policy: policy).isEligible)
    }

    @Test func aPriorityBeyondTheLimitIsRefusedAndAMissingPriorityPasses() {
        let policy = EligibilityPolicy(maxPriority: 2)
        #expect(decide(priority: 3, policy: policy).reasons == [.priority])
        #expect(decide(priority: 2, policy: policy).isEligible)
        #expect(decide(priority: nil, policy: policy).isEligible)
        #expect(decide(priority: 9).isEligible)
    }

    @Test func aPupilNoLongerOnRollGivesNoAccess() {
        #expect(decide(onRoll: false).reasons == [.notOnRoll])
    }

    @Test func everyReasonForRefusalIsListedNotJustTheFirst() {
        let decision = decide(pr: .no, courtOrder: .yes, withdrawn: .yes, onRoll: false)
        #expect(decision.reasons == [.courtOrder, .noParentalResponsibility, .sourceWithdrawn, .notOnRoll])
    }

    @Test func aPersonWithOneEligibleLinkGetsAnAccount() {
        let result = resolve(School("100")
            .pupil("P1", .mother("Jane Smith", id: "C1"))
            .pupil("P2", Person.mother("Jane Smith", id: "C1").with { $0.courtOrder = .yes }))
        let parent = try! #require(result.parent("100/C1"))
        #expect(parent.isEligible)
        #expect(parent.reasons == [.parentalResponsibility])
        #expect(parent.links.map(\.isEligible) == [true, false])
        #expect(parent.links[1].reasons == [.courtOrder])
    }

    @Test func aPersonWithNoEligibleLinkCarriesEveryLinksReasons() {
        let result = resolve(School("100")
            .pupil("P1", Person.mother("Jane Smith", id: "C1").with { $0.courtOrder = .yes })
            .pupil("P2", leaving: CalendarDate(year: 2026, month: 7, day: 20)!, .mother("Jane Smith", id: "C1")))
        let parent = try! #require(result.parent("100/C1"))
        #expect(!parent.isEligible)
        #expect(parent.reasons == [.courtOrder, .notOnRoll])
    }

    @Test func aPupilLeavingTodayIsStillOnRoll() {
        let result = resolve(School("100").pupil("P1", leaving: runDate, .mother("Jane Smith", id: "C1")))
        #expect(result.parent("100/C1")?.isEligible == true)
    }

    @Test func everyReasonCodeHasPlainWordsAndTheDesignCode() {
        let designCodes = [
            "parental-responsibility", "carer", "override", "approved", "court-order", "no-parental-responsibility",
            "parental-responsibility-unknown", "relationship-not-allowed", "priority", "source-withdrawn",
            "not-on-roll", "restricted", "awaiting-approval", "awaiting-review",
        ]
        #expect(ReasonCode.allCases.map(\.rawValue) == designCodes)
        for code in ReasonCode.allCases {
            #expect(!code.description.isEmpty && code.description != code.rawValue)
        }
        #expect(ReasonCode.noParentalResponsibility.description(in: .scotland).contains("1980"))
        #expect(ReasonCode.noParentalResponsibility.description(in: .england).contains("1996"))
    }
}
