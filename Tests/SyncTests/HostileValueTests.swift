import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// Hostile values from an MIS export: each is either stored exactly and read back exactly from slapd,
/// or left out or refused with a message that names it. Never a crash, never a whole entry lost to one
/// value, never a value silently changed.
@Suite struct HostileValueTests {
    /// Contact, given name and family name. The readers trim the whitespace of names and make each run
    /// of it (a tab too) one space, by design; everything else must come back exactly.
    static let hostile: [(contact: String, given: String, family: String)] = [
        ("C1", "Ann\u{7}Bell", "Tab\tReed"),                        // control characters
        ("C2", "Ben", String(repeating: "Long", count: 2_000)),      // an 8,000-character field
        ("C3", "Cy", "*)(|(uid=*))\\00"),                            // filter metacharacters
        ("C4", "Di", ",+\"\\<>;=# "),                                // DN metacharacters, trailing space
        ("C5", "Ed\u{0}", "Null"),                                   // NUL
        ("C6", "Flo", "\u{202E}Reversed\u{200B}"),                   // bidi override, zero-width space
        ("C7", "Gus", "Ńowak-Øre 😀"),                               // non-Latin, astral plane
    ]

    @Test func hostileValuesAreStoredExactlyOrNamedInAWarning() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            for (index, value) in Self.hostile.enumerated() {
                export.add(
                    ExportPupil("P\(index + 1)", upn: "A6000000000\(String(format: "%02d", index + 1))", "Child", "Number\(index + 1)"),
                    ExportContact(value.contact, value.given, value.family))
            }
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success || outcome.exitStatus == .inputError, "\(outcome.result.failures)")
            #expect(outcome.result.failures.isEmpty, "no write fails: \(outcome.result.failures.map { "\($0.dn): \($0.error)" })")

            let parents = try await DirectoryInspector(server: server).parentsByContact("5301234")
            let said = (outcome.plan.warnings.map(\.message) + outcome.sourceErrors).joined(separator: "\n")
            for value in Self.hostile {
                if let entry = parents[value.contact] {
                    #expect(entry.strings("givenName") == [value.given], "\(value.contact) given name read back")
                    #expect(entry.strings("sn") == [Self.whitespaceNormalised(value.family)], "\(value.contact) family name read back")
                } else {
                    #expect(said.contains(value.contact), "\(value.contact) neither stored nor named: \(said)")
                }
            }
            #expect(try await site.prepare().plan.changes.isEmpty, "the next run finds what it wrote")
        }
    }

    static func whitespaceNormalised(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    @Test func valuesTheAttributeSyntaxCannotHoldAreLeftOutWithAWarningAndTheEntryIsWritten() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(
                ExportPupil("P1", upn: "A610000000001", "Tom", "Reed"),
                ExportContact("C1", "Ann", "Reed", email: "ann.reed@exämple.org", mobile: "ring after 6pm!"))
            export.add(
                ExportPupil("P2", upn: "A610000000002", "Mo", "Shah"),
                ExportContact("C2", "Raj", "Shah", email: "raj@example.org", mobile: "07700 900456"))
            try site.write(export)
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success, "\(outcome.result.failures)")
            let leftOut = outcome.plan.warnings.filter { $0.code == .valueLeftOut }
            #expect(leftOut.contains { $0.message.contains("ann.reed@exämple.org") }, "\(leftOut)")
            #expect(leftOut.contains { $0.message.contains("ring after 6pm!") }, "\(leftOut)")

            let parents = try await DirectoryInspector(server: server).parentsByContact("5301234")
            let ann = try #require(parents["C1"])
            #expect(ann.strings("mail").isEmpty)
            #expect(ann.strings("mobile").isEmpty)
            #expect(ann.strings("sn") == ["Reed"])
            let raj = try #require(parents["C2"])
            #expect(raj.strings("mail") == ["raj@example.org"])
            #expect(raj.strings("mobile") == ["+447700900456"])

            // The school office sees the warning in the plan's JSON, with its code.
            let json = try site.cli("plan", "--format", "json")
            #expect(json.standardOutput.contains("\"value-left-out\""), "\(json.standardOutput.prefix(400))")
        }
    }

    @Test func invalidUTF8InTheExportIsReadAsWindows1252AndStoredAsRead() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            var export = CanonicalExport(school: "5301234")
            export.add(ExportPupil("P1", upn: "A620000000001", "Tom", "Reed"), ExportContact("C1", "Ann", "Reed"))
            // "Ren\xE9e": Latin-1 é, invalid as UTF-8.
            var bytes = Array(export.csv().utf8)
            let marker = Array("Ann".utf8)
            if let at = (0...(bytes.count - marker.count)).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker }) {
                bytes.replaceSubrange(at..<at + marker.count, with: Array("Ren".utf8) + [0xE9, 0x65])
            }
            try Data(bytes).write(to: URL(fileURLWithPath: site.folder.file("exports/school.csv")))
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success || outcome.exitStatus == .inputError)
            let parents = try await DirectoryInspector(server: server).parentsByContact("5301234")
            if let entry = parents["C1"] {
                #expect(entry.strings("givenName") == ["Renée"])
            } else {
                #expect(outcome.sourceErrors.joined().contains("school.csv"), "refused, naming the file")
            }
        }
    }
}
