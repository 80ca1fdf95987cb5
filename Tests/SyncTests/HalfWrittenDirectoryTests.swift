import Directory
import Foundation
@testable import SlapdHarness
import Testing

@testable import Sync

/// An apply stopped part-way leaves some accounts written and the rest, and the role group, not. Here the
/// half-written directory is made exactly (the first records of the plan's own LDIF, written as the
/// interrupted run would have), then a full run follows; InterruptedApplyTests stops a real server.
@Suite struct HalfWrittenDirectoryTests {
    @Test func directoryHalfWrittenByAStoppedApplyConvergesOnTheNextRunWithNoDuplicateAccount() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.write(SafetySyncTests.tenFamilies)
            let ldifFile = site.folder.file("plan.ldif")
            #expect(try site.cli("plan", "--format", "ldif", "--output", ldifFile).status == 0)
            let records = try String(contentsOfFile: ldifFile, encoding: .utf8).components(separatedBy: "\n\n")
            let firstFour = site.folder.file("first-four.ldif")
            try Data((records.prefix(5).joined(separator: "\n\n") + "\n").utf8).write(to: URL(fileURLWithPath: firstFour))
            let partial = try Tool.run(
                Tool.ldapmodify, ["-x", "-H", server.ldapURL, "-D", server.adminDN, "-w", server.adminPassword, "-f", firstFour])
            #expect(partial.status == 0, "\(partial.standardError)")
            let directory = DirectoryInspector(server: server)
            #expect(try await directory.parentsByContact(SafetySyncTests.school).count == 4)
            #expect(try await directory.groupMembers(site.parentGroup) == nil)

            let next = try await site.apply()
            #expect(next.exitStatus == .success, "\(next.result.failures)")
            #expect(next.plan.summary.create == 6)
            let parents = try await directory.entries(under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["misContactRef"])
            #expect(parents.count == 10)
            #expect(Set(parents.flatMap { $0.strings("misContactRef") }).count == 10, "one account per contact")
            #expect(try await directory.groupMembers(site.parentGroup)?.count == 10)
            #expect(try await site.prepare().plan.changes.isEmpty)
        }
    }
}
