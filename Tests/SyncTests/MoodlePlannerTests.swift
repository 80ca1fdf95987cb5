import Directory
import Foundation
import Testing

@testable import Sync

/// The pure part of the Moodle connector: which calls follow from the directory and the record of what
/// Moodle was told; and the settings checked before anything is sent.
@Suite struct MoodlePlannerTests {
    static var config: MoodleConfig {
        var config = MoodleConfig(url: "https://vle.example.sch", tokenFile: "/dev/null", parentRoleID: 9)
        config.pupilMatch = .idnumber
        return config
    }

    static func assigned(_ parent: String, _ pupil: String, _ parentID: Int, _ pupilID: Int, role: Int = 9) -> MoodleState.Assigned {
        .init(pair: MoodlePair(parent: parent, pupil: pupil), parentID: parentID, pupilID: pupilID, roleID: role, pupilMatch: "idnumber")
    }

    @Test func aPairThatVanishedFromTheDirectoryIsUnassignedWithTheIdsItWasMadeWith() {
        var state = MoodleState()
        state.assigned = [Self.assigned("ann", "UPN1", 11, 21), Self.assigned("ann", "UPN2", 11, 22)]
        let view = MoodleView(parents: [.init(username: "ann", disabled: false, pupils: ["UPN1"])])
        let calls = MoodlePlanner.calls(view: view, state: state, config: Self.config)
        #expect(calls == [MoodleCall(kind: .unassign, parent: "ann", pupil: "UPN2", parentID: 11, pupilID: 22, roleID: 9)])
    }

    @Test func disabledParentIsSuspendedOnceAndUnsuspendedWhenEnabledAgain() {
        var state = MoodleState()
        let disabled = MoodleView(parents: [.init(username: "bob", disabled: true, pupils: [])])
        #expect(MoodlePlanner.calls(view: disabled, state: state, config: Self.config) == [MoodleCall(kind: .suspend, parent: "bob")])
        state.suspended = ["bob"]
        #expect(MoodlePlanner.calls(view: disabled, state: state, config: Self.config).isEmpty)
        let enabled = MoodleView(parents: [.init(username: "bob", disabled: false, pupils: ["UPN1"])])
        #expect(MoodlePlanner.calls(view: enabled, state: state, config: Self.config) == [
            MoodleCall(kind: .unsuspend, parent: "bob"), MoodleCall(kind: .assign, parent: "bob", pupil: "UPN1"),
        ])
    }

    @Test func owedCallsComeFirstThenWhatTakesAccessAway() {
        var state = MoodleState()
        state.assigned = [Self.assigned("cat", "UPN9", 13, 29)]
        state.owed = [MoodleCall(kind: .assign, parent: "ann", pupil: "UPN1")]
        let view = MoodleView(parents: [
            .init(username: "ann", disabled: false, pupils: ["UPN1"]), .init(username: "bob", disabled: true, pupils: []),
            .init(username: "cat", disabled: false, pupils: []), .init(username: "dan", disabled: false, pupils: ["UPN4"]),
        ])
        let calls = MoodlePlanner.calls(view: view, state: state, config: Self.config)
        #expect(calls.map(\.kind) == [.assign, .suspend, .unassign, .assign])
        #expect(calls.map(\.parent) == ["ann", "bob", "cat", "dan"])
    }

    @Test func aNewParentRoleIdReassignsEveryPairAndRemovesTheOldRole() {
        var state = MoodleState()
        state.assigned = [Self.assigned("ann", "UPN1", 11, 21, role: 5)]
        let view = MoodleView(parents: [.init(username: "ann", disabled: false, pupils: ["UPN1"])])
        let calls = MoodlePlanner.calls(view: view, state: state, config: Self.config)
        #expect(calls == [
            MoodleCall(kind: .unassign, parent: "ann", pupil: "UPN1", parentID: 11, pupilID: 21, roleID: 5),
            MoodleCall(kind: .assign, parent: "ann", pupil: "UPN1"),
        ])
    }

    @Test func thePlannedEntriesFollowThePlansModifications() {
        let ann = Entry(dn: "uid=ann,ou=Parents,dc=x", attributes: [
            Attribute("uid", ["ann"]), Attribute("misAccountStatus", ["active"]), Attribute("misChild", ["uid=tom,ou=Pupils,dc=x"]),
        ])
        var entry = ann
        entry.apply(.init(attribute: "misChild", kind: .delete, values: ["UID=Tom,ou=Pupils,dc=x"]))
        entry.apply(.init(attribute: "misAccountStatus", kind: .replace, values: ["disabled"]))
        let view = MoodleView.build(parents: [entry], pupilKeys: [DistinguishedName.comparisonKey(of: "uid=tom,ou=Pupils,dc=x"): "UPN1"])
        #expect(view.parents == [.init(username: "ann", disabled: true, pupils: [])])
        #expect(MoodleView.build(parents: [ann], pupilKeys: [DistinguishedName.comparisonKey(of: "uid=tom,ou=pupils,dc=x"): "UPN1"]).pairs
            == [MoodlePair(parent: "ann", pupil: "UPN1")])
    }
}

@Suite struct MoodleEndpointTests {
    static func config(_ url: String, insecure: Bool = false) -> MoodleConfig {
        var config = MoodleConfig(url: url, tokenFile: "/nonexistent", parentRoleID: 9)
        config.allowInsecure = insecure
        return config
    }

    @Test func plainHTTPToAHostThatIsNotLoopbackIsRefusedEvenWithAllowInsecure() {
        #expect(throws: MoodleError.self) { try MoodleEndpoint.checkURL(Self.config("http://vle.example.sch", insecure: true)) }
        do {
            try MoodleEndpoint.checkURL(Self.config("http://vle.example.sch", insecure: true))
        } catch {
            #expect("\(error)".contains("vle.moodle.url http://vle.example.sch refused"))
            #expect("\(error)".contains("vle.moodle.allow_insecure"))
        }
    }

    @Test func plainHTTPToLoopbackNeedsAllowInsecureInWords() throws {
        do {
            try MoodleEndpoint.checkURL(Self.config("http://127.0.0.1:8080"))
            Issue.record("plain http without allow_insecure was accepted")
        } catch {
            #expect("\(error)".contains("vle.moodle.allow_insecure: true"))
        }
        try MoodleEndpoint.checkURL(Self.config("http://127.0.0.1:8080", insecure: true))
        try MoodleEndpoint.checkURL(Self.config("http://[::1]:8080", insecure: true))
        try MoodleEndpoint.checkURL(Self.config("https://vle.example.sch"))
        #expect(throws: MoodleError.self) { try MoodleEndpoint.checkURL(Self.config("http://127.0.0.1.example.org", insecure: true)) }
        #expect(throws: MoodleError.self) { try MoodleEndpoint.checkURL(Self.config("ftp://vle.example.sch")) }
    }

    @Test func anUnreadableTokenFileNamesTheSetting() {
        do {
            _ = try MoodleEndpoint(Self.config("https://vle.example.sch"))
            Issue.record("a missing token file was accepted")
        } catch {
            #expect("\(error)" == "vle.moodle.token_file /nonexistent: cannot be read")
        }
    }

    @Test func theFormEncodingEscapesBracketsAndEverythingButUnreservedCharacters() {
        #expect(MoodleClient.encode("users[0][id]") == "users%5B0%5D%5Bid%5D")
        #expect(MoodleClient.encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9")
    }
}
