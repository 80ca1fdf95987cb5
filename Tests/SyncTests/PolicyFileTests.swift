import Foundation
import Reconcile
import Roster
import Testing

@testable import Sync

/// The school's policy files: what they may say, and a clear error (file, line, column) for what not.
@Suite struct PolicyFileTests {
    func parse(_ kind: PolicyFile.Kind, _ text: String) throws(PolicyFileError) -> [PolicyFile.Row] {
        try PolicyFile.parse(kind, Array(text.utf8), name: "policy.csv")
    }

    func error(_ kind: PolicyFile.Kind, _ text: String) -> String? {
        do {
            _ = try parse(kind, text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aRestrictionNamesAPupilOrEveryPupilAndAParentOrAContact() throws {
        let rows = try parse(.restrictions, "\u{FEFF}pupil,parent,contact,reason,set_by,set_on,ends_on\r\n"
            + "100/P1,jane.smith,,\"court order, 2026\",Head,2026-11-01,2027-01-01\r\n"
            + "*,,100/C2,risk,Head,,\r\n")
        #expect(rows.count == 2)
        #expect(rows[0].rule.pupil == PupilReference(schoolID: "100", pupilID: "P1"))
        #expect(rows[0].rule.person == .username("jane.smith"))
        #expect(rows[0].rule.endsOn == CalendarDate(year: 2027, month: 1, day: 1))
        #expect(rows[0].values["reason"] == "court order, 2026")
        #expect(rows[1].rule.pupil == nil)
        #expect(rows[1].rule.person == .contact(.id("C2", school: "100")))
    }

    @Test func aReferenceByPositionIsRefusedWithFileLineAndColumn() {
        let message = error(.restrictions, "pupil,parent,contact,reason,set_by\n100/P1,,100/P1/2,r,Head\n")
        #expect(message?.hasPrefix("policy.csv:2:3: error: contact 100/P1/2 is a reference by position") == true, "\(message ?? "")")
    }

    @Test func everyKindOfBadFileIsAnInputError() {
        let header = "pupil,parent,contact,reason,set_by,set_on,ends_on\n"
        let cases: [(PolicyFile.Kind, String, String)] = [
            (.restrictions, "pupil,parent,contact,colour,set_by\n", "policy.csv:1:4: error: unknown column \"colour\""),
            (.restrictions, "pupil,reason,set_by\n", "missing column parent or contact"),
            (.restrictions, "parent,set_by\n", "missing column pupil"),
            (.restrictions, header + "P1,jane,,r,Head,,\n", "policy.csv:2:1: error: pupil \"P1\" is not"),
            (.restrictions, header + "100/P1,,,r,Head,,\n", "policy.csv:2:2: error: name the person"),
            (.restrictions, header + "100/P1,jane,100/C1,r,Head,,\n", "give parent or contact, not both"),
            (.restrictions, header + "100/P1,jane,,r,,,\n", "policy.csv:2:5: error: set_by is blank"),
            (.restrictions, header + "100/P1,jane,,r,Head,01/11/2026,\n", "policy.csv:2:6: error: set_on \"01/11/2026\" is not a date"),
            (.restrictions, header + "100/P1,jane,,r,Head,,2026-02-30\n", "ends_on \"2026-02-30\" is not a date"),
            (.restrictions, header + "100/P1,jane,,\"r,Head,,\n", "not a readable CSV file"),
            (.courtOrderOverrides, "pupil,parent,contact,order_reference,reviewed_by,reviewed_on,ends_on\n*,jane,,SGO,Head,2026-01-01,\n",
             "pupil * (every pupil) is allowed only in restrictions"),
            (.courtOrderOverrides, "pupil,parent,contact,order_reference,reviewed_by,reviewed_on\n100/P1,jane,,,Head,2026-01-01\n",
             "order_reference is blank"),
            (.lookedAfterApprovals, "pupil,parent,contact,approved_by\n", "missing column approved_on"),
        ]
        for (kind, text, expected) in cases {
            let message = error(kind, text)
            #expect(message?.contains(expected) == true, "\(text) → \(message ?? "accepted")")
        }
        let latin1: [UInt8] = Array("pupil,parent,set_by\n100/P1,".utf8) + [0x4A, 0xE9] + Array(",Head\n".utf8)
        #expect(throws: PolicyFileError.self) { try PolicyFile.parse(.restrictions, latin1, name: "policy.csv") }
        #expect(PolicyFileError(file: "f", line: 1, column: 2, message: "m").exitStatus == .inputError)
    }

    @Test func revokeAppendsToTheSchoolsOwnFileKeepingItsRowsAndColumnOrder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("restrictions.csv")
        try Data("set_by,pupil,parent,contact,reason,set_on,ends_on\nHead,100/P9,,100/C9,old,,\n".utf8).write(to: URL(fileURLWithPath: path))
        try RestrictionsFile.append(["pupil": "100/P1", "parent": "jane.smith", "reason": "order, today", "set_by": "DSL"], to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "set_by,pupil,parent,contact,reason,set_on,ends_on\nHead,100/P9,,100/C9,old,,\nDSL,100/P1,jane.smith,,\"order, today\",,\r\n")
        #expect(try PolicyFile.load(.restrictions, path: path).count == 2)

        try RestrictionsFile.lift(lines: [3], on: CalendarDate(year: 2026, month: 11, day: 29)!, in: path)
        let lifted = try PolicyFile.load(.restrictions, path: path)
        #expect(lifted.map(\.rule.endsOn) == [nil, CalendarDate(year: 2026, month: 11, day: 29)])
        #expect(!FileManager.default.fileExists(atPath: path + ".new"))
    }
}

extension PolicyFileTests {
    @Test func checkCountsTheRulesInForceAndReportsABadFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let yaml = """
            directory:
              url: ldap://127.0.0.1:3389
              parents_base: ou=Parents,dc=example,dc=org
            sources:
              - format: csv
                path: school.csv
                school_id: "100"
            policy:
              restrictions: restrictions.csv
            state_dir: state

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder.file("config.yaml")))
        try Data("pupil,parent,contact,reason,set_by,set_on,ends_on\n100/P1,jane,,r,Head,,\n*,,100/C2,r,Head,,2000-01-01\n".utf8)
            .write(to: URL(fileURLWithPath: folder.file("restrictions.csv")))
        let config = try ConfigLoader.load(path: folder.file("config.yaml"))
        let good = PolicyFilesCheck.run(config: config)
        #expect(good.exitStatus == .success)
        #expect(good.text.contains("2 restrictions (1 in force)"), "\(good.text)")

        try Data("pupil,parent,set_by\n100/P1,,Head\n".utf8).write(to: URL(fileURLWithPath: folder.file("restrictions.csv")))
        let bad = PolicyFilesCheck.run(config: config)
        #expect(bad.exitStatus == .inputError)
        #expect(bad.text.contains("restrictions.csv:2:2: error: name the person"), "\(bad.text)")
    }
}

extension PolicyFileTests {
    @Test func revokeRecordsTheRestrictionEvenWhenTheDirectoryIsDown() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let yaml = """
            directory:
              url: ldap://127.0.0.1:1
              parents_base: ou=Parents,dc=example,dc=org
              timeouts: {connect: 2, operation: 2, run: 60}
              retries: 0
            sources:
              - format: csv
                path: school.csv
                school_id: "100"
            state_dir: state

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder.file("config.yaml")))
        let run = try CommandLineRunner.run([
            "revoke", "--config", folder.file("config.yaml"), "--pupil", "100/P1", "--parent", "ann.smith",
            "--reason", "PSO", "--by", "DSL",
        ])
        #expect(run.status == 4, "\(run.standardError)")
        #expect(run.standardError.contains("The restriction is recorded"))
        let rows = try PolicyFile.load(.restrictions, path: folder.file("state/restrictions.csv"))
        #expect(rows.map(\.rule.person) == [.username("ann.smith")])
        let audit = try AuditLog.read(stateDirectory: folder.file("state"))
        #expect(audit.contains { $0.event == "revoke" && $0.result == "recorded, directory unavailable" })
    }
}
