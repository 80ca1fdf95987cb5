import Directory
import Foundation
import MoodleStub
import SlapdHarness
import Testing

@testable import Sync

/// The Moodle connector against a real slapd and a Moodle REST stub: after the directory is written,
/// Moodle is told (suspensions, parent-role assignments in pupils' user contexts), and what it could
/// not be told is owed and made first next run.
@Suite struct MoodleSyncTests {
    static let school = "5301234"
    static let tom = ExportPupil("P1", upn: "A100000000001", "Tom", "Smith")
    static let lily = ExportPupil("P4", upn: "A100000000004", "Lily", "Smith")
    static let mia = ExportPupil("P2", upn: "A100000000002", "Mia", "Jones")
    static let ann = ExportContact("C1", "Ann", "Smith", email: "ann.smith@example.org")
    static let david = ExportContact("C2", "David", "Smith", relationship: "Father", email: "david.smith@example.org")
    static let conor = ExportContact("C3", "Conor", "Jones", relationship: "Father", email: "conor.jones@example.org")
    static let pupils = [tom, lily, mia]
    static let roleID = 9

    /// Tom: Ann and David; Lily: David; Mia: Conor.
    static var firstExport: CanonicalExport {
        var export = CanonicalExport(school: school)
        export.add(tom, ann, david)
        export.add(lily, david)
        export.add(mia, conor)
        return export
    }

    /// Court orders: David may no longer see Tom (Lily stays); Conor may no longer see Mia, his only child.
    static var secondExport: CanonicalExport {
        var export = firstExport
        export.change(contact: "C2", pupil: "P1") { $0.courtOrder = true }
        export.change(contact: "C3", pupil: "P2") { $0.courtOrder = true }
        return export
    }

    /// A Moodle where the three parents have logged in once and the pupils carry their UPN as idnumber.
    static func moodle() throws -> (MoodleStub, [String: Int]) {
        let stub = try MoodleStub()
        var ids: [String: Int] = [:]
        for name in ["ann.smith", "david.smith", "conor.jones"] { ids[name] = stub.addUser(username: name) }
        for pupil in pupils { ids[pupil.id] = stub.addUser(username: "\(pupil.given.lowercased()).\(pupil.id.lowercased())", idnumber: pupil.upn) }
        return (stub, ids)
    }

    /// A slapd holding the pupils' entries, the Moodle of `moodle()`, and a site configured for both with
    /// the first export written (and applied, when `firstRunApplied`).
    static func withMoodleSite(
        firstRunApplied: Bool = false,
        _ body: (SlapdServer, SyncSite, MoodleStub, [String: Int]) async throws -> Void
    ) async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF(Self.pupils, under: server.pupilsBase))
            let (moodle, id) = try Self.moodle()
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.enableMoodle(moodle)
            try site.write(Self.firstExport)
            if firstRunApplied { _ = try await site.apply() }
            try await body(server, site, moodle, id)
        }
    }

    @Test func courtOrderInSecondRunUnassignsExactlyThatPupilAndSuspendsAParentWithNoChildLeft() async throws {
        try await Self.withMoodleSite { server, site, moodle, id in
            let first = try await site.apply()
            #expect(first.exitStatus == .success)
            #expect(first.vleCallsOwed == 0)
            let role = Self.roleID
            #expect(moodle.roleAssignments == [
                .init(roleID: role, userID: id["ann.smith"]!, instanceID: id["P1"]!),
                .init(roleID: role, userID: id["david.smith"]!, instanceID: id["P1"]!),
                .init(roleID: role, userID: id["david.smith"]!, instanceID: id["P4"]!),
                .init(roleID: role, userID: id["conor.jones"]!, instanceID: id["P2"]!),
            ])
            #expect(moodle.writes.allSatisfy { $0.function == "core_role_assign_roles" })
            moodle.forgetCalls()

            try site.write(Self.secondExport)
            let second = try await site.apply()
            #expect(second.exitStatus == .success)
            // Exactly: Conor suspended, Conor's and David's parent role for the court-order pupil removed.
            let writes = moodle.writes
            #expect(writes.map(\.function) == ["core_user_update_users", "core_role_unassign_roles"])
            #expect(writes.first?.parameters == ["users[0][id]": "\(id["conor.jones"]!)", "users[0][suspended]": "1"])
            #expect(writes.last?.parameters == [
                "unassignments[0][roleid]": "9", "unassignments[0][userid]": "\(id["conor.jones"]!)",
                "unassignments[0][contextlevel]": "user", "unassignments[0][instanceid]": "\(id["P2"]!)",
                "unassignments[1][roleid]": "9", "unassignments[1][userid]": "\(id["david.smith"]!)",
                "unassignments[1][contextlevel]": "user", "unassignments[1][instanceid]": "\(id["P1"]!)",
            ])
            #expect(moodle.user("conor.jones")?.suspended == true)
            #expect(moodle.user("david.smith")?.suspended == false)
            #expect(moodle.roleAssignments == [
                .init(roleID: role, userID: id["ann.smith"]!, instanceID: id["P1"]!),
                .init(roleID: role, userID: id["david.smith"]!, instanceID: id["P4"]!),
            ])

            // The directory first: every write of run 2 is in the audit log before its first Moodle call.
            // (Two runs of one test process in the same second share a run id: take run 2's lines by position.)
            let lines = try String(contentsOfFile: site.folder.file("state/audit.jsonl"), encoding: .utf8)
                .split(separator: "\n").filter { $0.contains(second.runID) }
            let audit = Array(lines[(lines.lastIndex { $0.contains("\"event\":\"run-start\"") } ?? 0)...])
            let lastWrite = try #require(audit.lastIndex { $0.contains("\"event\":\"write\"") })
            let firstCall = try #require(audit.firstIndex { $0.contains("\"event\":\"vle\"") })
            #expect(lastWrite < firstCall)

            // A third run with the same export tells Moodle nothing.
            moodle.forgetCalls()
            let third = try await site.apply()
            #expect(third.exitStatus == .success)
            #expect(moodle.writes.isEmpty)
        }
    }

    @Test func revokeUnassignsThatPupilInMoodleAtOnceAndSuspendsAParentLeftWithNoChild() async throws {
        try await Self.withMoodleSite(firstRunApplied: true) { server, site, moodle, id in
            moodle.forgetCalls()

            let david = try await Revocation.perform(
                .revoke, .init(pupil: "\(Self.school)/P1", parent: "david.smith", reason: "court order", by: "DSL"), configPath: site.configPath)
            #expect(david.exitStatus == .success)
            #expect(moodle.writes.map(\.function) == ["core_role_unassign_roles"])
            #expect(moodle.writes.first?.parameters["unassignments[0][userid]"] == "\(id["david.smith"]!)")
            #expect(moodle.writes.first?.parameters["unassignments[0][instanceid]"] == "\(id["P1"]!)")
            #expect(moodle.user("david.smith")?.suspended == false)

            moodle.forgetCalls()
            let conor = try await Revocation.perform(
                .revoke, .init(pupil: "\(Self.school)/P2", parent: "conor.jones", reason: "court order", by: "DSL"), configPath: site.configPath)
            #expect(conor.disabled)
            #expect(moodle.writes.map(\.function) == ["core_user_update_users", "core_role_unassign_roles"])
            #expect(moodle.user("conor.jones")?.suspended == true)
            #expect(conor.text(.init(pupil: "\(Self.school)/P2", parent: "conor.jones", reason: "x", by: "y"), restored: false)
                .contains("Moodle: core_user_update_users: suspend conor.jones"))
        }
    }

    @Test func moodleDownLeavesTheCallsOwedWithExit7AndALaterRunMakesThemFirst() async throws {
        try await Self.withMoodleSite(firstRunApplied: true) { server, site, moodle, id in

            moodle.setUnavailable(true)
            try site.write(Self.secondExport)
            let down = try await site.apply()
            // The directory part stands; Moodle is owed three calls.
            #expect(down.result.failures.isEmpty)
            #expect(down.plan.summary.unlink == 2)
            #expect(down.exitStatus == .vleOwed)
            #expect(down.vleCallsOwed == 3)
            #expect(down.vle?.problems.first?.contains("HTTP 503") == true)
            #expect(ApplySummary(outcome: down, duration: 1).summaryLine.contains("vle owed 3"))
            let state = try MoodleState.load(stateDirectory: site.folder.file("state"))
            #expect(Set(state.owed.map(\.kind)) == [.suspend, .unassign])
            #expect(moodle.user("conor.jones")?.suspended == false)

            // Moodle back; the same export: the owed calls are made, first, and nothing else.
            moodle.setUnavailable(false)
            moodle.forgetCalls()
            let later = try await site.apply()
            #expect(later.exitStatus == .success)
            #expect(later.vleCallsOwed == 0)
            #expect(later.vle?.made.count == 3)
            #expect(moodle.writes.map(\.function) == ["core_user_update_users", "core_role_unassign_roles"])
            #expect(moodle.user("conor.jones")?.suspended == true)
            #expect(!moodle.roleAssignments.contains(.init(roleID: 9, userID: id["david.smith"]!, instanceID: id["P1"]!)))
            #expect(try MoodleState.load(stateDirectory: site.folder.file("state")).owed.isEmpty)
        }
    }

    @Test func parentNotYetInMoodleIsNotAnErrorAndGetsTheRoleOnceTheyExist() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF(Self.pupils, under: server.pupilsBase))
            let moodle = try MoodleStub()
            let tomID = moodle.addUser(username: "tom.p1", idnumber: Self.tom.upn)
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.enableMoodle(moodle)
            var export = CanonicalExport(school: Self.school)
            export.add(Self.tom, Self.ann)
            try site.write(export)

            let first = try await site.apply()
            #expect(first.exitStatus == .success)
            #expect(first.vle?.waiting.map(\.parent) == ["ann.smith"])
            #expect(moodle.writes.isEmpty)

            let annID = moodle.addUser(username: "ann.smith")
            let second = try await site.apply()
            #expect(second.exitStatus == .success)
            #expect(moodle.roleAssignments == [.init(roleID: 9, userID: annID, instanceID: tomID)])
        }
    }

    @Test func wrongTokenIsAClearErrorNamingTheTokenFileAndExit7() async throws {
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF(Self.pupils, under: server.pupilsBase))
            let (moodle, _) = try Self.moodle()
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.enableMoodle(moodle, token: "not-the-token")
            try site.write(Self.firstExport)

            let run = try site.cli("apply")
            #expect(run.status == 7)
            #expect(run.standardOutput.contains("invalidtoken"))
            #expect(run.standardOutput.contains("vle.moodle.token_file"))
            #expect(!run.standardOutput.contains("not-the-token") && !run.standardError.contains("not-the-token"))
            // The directory part stands.
            #expect(try await DirectoryInspector(server: server).parentsByContact(Self.school).count == 3)
            #expect(moodle.roleAssignments.isEmpty)
        }
    }

    @Test func plainHTTPToAnotherHostIsRefusedBeforeAnythingIsWritten() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.enableMoodle(url: "http://moodle.example.sch", allowInsecure: true)
            try site.write(Self.firstExport)

            let run = try site.cli("apply")
            #expect(run.status == 2)
            #expect(run.standardError.contains("vle.moodle.url http://moodle.example.sch refused"))
            #expect(try await DirectoryInspector(server: server).parentsByContact(Self.school).isEmpty)
        }
    }

    @Test func planListsTheMoodleCallsARunWouldMake() async throws {
        try await Self.withMoodleSite(firstRunApplied: true) { server, site, moodle, id in
            try site.write(Self.secondExport)
            moodle.forgetCalls()

            let text = try site.cli("plan")
            #expect(text.status == 0)
            #expect(text.standardOutput.contains("MOODLE (3 call(s)"))
            #expect(text.standardOutput.contains("core_user_update_users: suspend conor.jones"))
            #expect(text.standardOutput.contains("core_role_unassign_roles: parent role of david.smith for pupil A100000000001 removed"))
            let json = try site.cli("plan", "--format", "json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            let calls = try #require(((object["vle"] as? [String: Any])?["moodle"] as? [String: Any])?["calls"] as? [[String: Any]])
            #expect(calls.map { $0["kind"] as? String } == ["suspend", "unassign", "unassign"])
            #expect(calls.map { $0["function"] as? String }.last == "core_role_unassign_roles")
            let html = try site.cli("plan", "--format", "html")
            #expect(html.standardOutput.contains("<h2>Moodle (3 call(s)"))
            // Plan calls nothing in Moodle.
            #expect(moodle.recordedCalls.isEmpty)
        }
    }

    @Test func doctorChecksTokenFunctionsAndThatTheRoleAssignsInAUserContext() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            let good = try MoodleStub()
            try site.enableMoodle(good)
            let report = await MoodleDoctor.check(try site.config())
            #expect(!report.hasProblem, "\(report.text)")
            #expect(report.findings.map(\.check) == ["settings", "token", "functions", "parent_role_id"])
            #expect(good.roleAssignments.isEmpty)

            let limited = try MoodleStub(userContextRoles: [5], functions: MoodleStub.allFunctions.filter { $0 != "core_user_update_users" })
            try site.enableMoodle(limited)
            let bad = await MoodleDoctor.check(try site.config())
            #expect(bad.hasProblem)
            #expect(bad.findings.first { $0.check == "functions" }?.detail.contains("core_user_update_users") == true)
            #expect(bad.findings.first { $0.check == "parent_role_id" }?.detail.contains("wsusercannotassign") == true)

            // Through the command: the web-service checks follow the directory's.
            try site.enableMoodle(good)
            let command = try site.cli("doctor", "--vle", "moodle")
            #expect(command.standardOutput.contains("moodle token: accepted by Test school"), "\(command.standardOutput)")
            #expect(command.standardOutput.contains("moodle parent_role_id: role 9 assigns in a user context"))

            try site.enableMoodle(good, token: "wrong")
            let wrongToken = await MoodleDoctor.check(try site.config())
            #expect(wrongToken.findings.last?.check == "token")
            #expect(wrongToken.findings.last?.detail.contains("vle.moodle.token_file") == true)
        }
    }

    @Test func accessShowsTheMoodleSideOfAPupilAndAParent() async throws {
        try await Self.withMoodleSite(firstRunApplied: true) { server, site, moodle, id in
            try site.write(Self.secondExport)
            _ = try await site.apply()

            let config = try site.config()
            let connection = try await DirectorySession.open(config)
            let key = try await MoodleAccess.pupilKey(pupilDN: "uid=tom.p1,\(server.pupilsBase)", connection: connection, config: config)
            await connection.close()
            #expect(key == Self.tom.upn)
            let state = try MoodleState.load(stateDirectory: config.stateDir)
            let tom = MoodleAccess.describe(pupil: try #require(key), state: state)
            #expect(tom.assigned.map(\.parent) == ["ann.smith"])
            #expect(tom.text.contains("parent role: ann.smith (Moodle id \(id["ann.smith"]!)) for pupil A100000000001"))
            let conor = MoodleAccess.describe(parent: "conor.jones", state: state)
            #expect(conor.suspended == true)
            #expect(conor.assigned.isEmpty)

            // The command shows it beside the directory's answer.
            let text = try site.cli("access", "--pupil", "\(Self.school)/P1")
            #expect(text.status == 0, "\(text.standardError)")
            #expect(text.standardOutput.contains("Moodle (A100000000001):"))
            #expect(text.standardOutput.contains("parent role: ann.smith"))
            let json = try site.cli("access", "--parent", "conor.jones", "--format", "json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            #expect((object["moodle"] as? [String: Any])?["suspended"] as? Bool == true)
        }
    }
}

extension SyncSite {
    /// Adds `vle.moodle` for `moodle` (plain http to loopback, allowed in words) and its token file.
    func enableMoodle(_ moodle: MoodleStub, token: String? = nil) throws {
        try enableMoodle(url: moodle.url, allowInsecure: true, token: token ?? moodle.token)
    }

    func enableMoodle(url: String, allowInsecure: Bool, token: String = "moodle-test-token") throws {
        try Data("\(token)\n".utf8).write(to: URL(fileURLWithPath: folder.file("moodle.token")))
        var yaml = try String(contentsOfFile: configPath, encoding: .utf8)
        if let range = yaml.range(of: "vle:\n") { yaml = String(yaml[..<range.lowerBound]) }
        yaml += """
            vle:
              moodle:
                url: \(url)
                token_file: moodle.token
                parent_role_id: 9
                pupil_match: idnumber
                allow_insecure: \(allowInsecure)

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configPath))
    }
}
