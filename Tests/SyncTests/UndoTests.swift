import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// `ldap-sync undo --run ID`: the LDIF that reverses one run, from the audit log, applied by IT with
/// the real `ldapmodify`, puts the directory back as it was before that run (as `ldapsearch` shows it).
@Suite struct UndoTests {
    @Test func undoOfARunAppliedWithLdapmodifyPutsTheManagedAttributesBack() async throws {
        let pupils = [SyncScenarioTests.tom, SyncScenarioTests.mia, SyncScenarioTests.leo, SyncScenarioTests.lily,
                      SyncScenarioTests.ben, SyncScenarioTests.zac]
        try await withSlapd { server in
            try server.add(ldif: pupilEntriesLDIF(pupils, under: server.pupilsBase))
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(SyncScenarioTests.firstExport)
            let first = try await site.apply()
            #expect(first.exitStatus == .success)
            let before = try await Self.managedState(server, group: site.parentGroup)
            #expect(before.count == 8, "seven parents and the role group")

            // Run 2: a court order, a loss of PR (disable), a leaver, new details, a new sibling link and
            // a new account. Run ids carry the second: keep the two runs apart.
            try await Task.sleep(for: .milliseconds(1_100))
            var second = SyncScenarioTests.secondExport
            second.add(SyncScenarioTests.zac, ExportContact("C8", "Nia", "Smith", relationship: "Aunt"))
            try site.write(second)
            let run = try await site.apply()
            #expect(run.exitStatus == .success)
            #expect(run.runID != first.runID)
            let actions = Set(run.result.applied.map(\.action))
            #expect(actions.isSuperset(of: [.create, .update, .link, .unlink, .disable]), "\(actions)")
            #expect(try await Self.managedState(server, group: site.parentGroup) != before)

            let undo = try site.cli("undo", "--run", run.runID)
            #expect(undo.status == 0, "\(undo.standardError)")
            #expect(undo.standardOutput.contains("changetype: delete"), "the new account goes")
            #expect(!undo.standardOutput.contains("userPassword"))
            try server.modify(ldif: undo.standardOutput)

            let after = try await Self.managedState(server, group: site.parentGroup)
            for (dn, attributes) in before where after[dn] != attributes {
                Issue.record("\(dn) differs after undo:\nbefore \(attributes)\nafter  \(after[dn] ?? [])")
            }
            #expect(Set(after.keys) == Set(before.keys))
        }
    }

    @Test func unknownRunIsAnInputErrorNamingTheRunsThereAre() throws {
        let records = [AuditRecord(time: "t", run: "20261129T100000Z-1", event: "run-start")]
        #expect(throws: UnknownRunError.self) { try UndoLDIF.ldif(run: "nope", records: records, logPath: "state/audit.jsonl") }
        do {
            _ = try UndoLDIF.ldif(run: "nope", records: records, logPath: "state/audit.jsonl")
        } catch let error as UnknownRunError {
            #expect(error.description.contains("20261129T100000Z-1") && error.exitStatus == .inputError)
        }
    }

    @Test func deletedEntryComesBackWholeAndPasswordsAndFailedWritesAreOnlyComments() throws {
        let run = "r1"
        let records = [
            AuditRecord(time: "t0", run: run, event: "run-start"),
            AuditRecord(
                time: "t1", run: run, event: "write", action: "delete", dn: "uid=ann,ou=P", result: "ok", operation: "delete",
                before: ["objectClass": ["inetOrgPerson", "misParent"], "uid": ["ann"], "cn": [" Ann"], "sn": ["Smith"]]),
            AuditRecord(time: "t2", run: run, event: "write", action: "first-password", dn: "uid=bob,ou=P", result: "ok"),
            AuditRecord(time: "t3", run: run, event: "write", action: "update", dn: "uid=cy,ou=P", result: "busy",
                        changes: ["replace:mail": ["new@example.org"]], operation: "modify", before: ["mail": ["old@example.org"]]),
            AuditRecord(time: "t4", run: "r0", event: "write", action: "create", dn: "uid=other,ou=P", result: "ok", operation: "add"),
        ]
        let ldif = try UndoLDIF.ldif(run: run, records: records, logPath: "audit.jsonl")
        #expect(ldif.contains("dn: uid=ann,ou=P\nchangetype: add\ncn:: IEFubg==\nobjectClass: inetOrgPerson\nobjectClass: misParent\nsn: Smith\nuid: ann\n"))
        #expect(ldif.contains("# uid=bob,ou=P: a first password was set; a password cannot be undone"))
        #expect(ldif.contains("# uid=cy,ou=P: update failed (busy) and changed nothing"))
        #expect(!ldif.contains("uid=other"), "another run's writes are not reversed")
    }

    @Test func modifyIsReversedValueByValueAndReplacedValuesComeBack() throws {
        let record = AuditRecord(
            time: "t", run: "r", event: "write", action: "disable", dn: "uid=kate,ou=P", result: "ok",
            changes: ["delete:misChildRef": ["1/P2"], "replace:misAccountStatus": ["disabled"], "replace:pwdAccountLockedTime": ["000001010000Z"]],
            operation: "modify", before: ["misChildRef": ["1/P2"], "misAccountStatus": ["active"], "pwdAccountLockedTime": []])
        let text = UndoLDIF.reversal(of: record)
        #expect(text.contains("""
            dn: uid=kate,ou=P
            changetype: modify
            replace: misAccountStatus
            misAccountStatus: active
            -
            add: misChildRef
            misChildRef: 1/P2
            -
            replace: pwdAccountLockedTime
            -

            """))
    }

    /// `ldapsearch` of every managed attribute of every managed entry, one record per DN (names lower
    /// case, lines sorted, so only values count), and the role group's members.
    static func managedState(_ server: SlapdServer, group: String) async throws -> [String: [String]] {
        var state: [String: [String]] = [:]
        let dumps = [
            try server.search(base: server.parentsBase, filter: "(objectClass=misParent)", attributes: DirectoryReader.parentAttributes),
            try server.search(base: group, filter: "(objectClass=*)", attributes: ["member"]),
        ]
        for record in dumps.joined(separator: "\n\n").components(separatedBy: "\n\n") {
            let lines = record.split(separator: "\n").map(String.init)
            guard let dn = lines.first, dn.hasPrefix("dn") else { continue }
            state[dn.lowercased()] = lines.dropFirst().map { line in
                let name = line.prefix { $0 != ":" }
                return name.lowercased() + line.dropFirst(name.count)
            }.sorted()
        }
        return state
    }
}
