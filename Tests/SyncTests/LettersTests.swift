import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// The printed letters and the credentials files: private, one parent to a page, in the school's
/// words, deleted after the retention period; and no password anywhere else.
@Suite struct LettersTests {
    static func export() -> CanonicalExport {
        var export = CanonicalExport(school: "5301234")
        export.add(ExportPupil("P1", upn: "A600000000001", "Tom", "Reed"), ExportContact("C1", "Ian", "Reed", relationship: "Father"))
        export.add(ExportPupil("P2", upn: "A600000000002", "Amy", "Reed"), ExportContact("C1", "Ian", "Reed", relationship: "Father"))
        export.add(ExportPupil("P3", upn: "A600000000003", "Zoë", "O'Neil-Smith"), ExportContact("C3", "Siân", "O'Neil <Smith>"))
        return export
    }

    /// A site whose source has a school name and whose letters a login address.
    static func site(_ server: SlapdServer, accounts: [String] = []) throws -> SyncSite {
        let site = try SyncSite(server: server, accounts: ["login_url: https://vle.example.sch"] + accounts)
        let config = try String(contentsOfFile: site.configPath, encoding: .utf8)
            .replacingOccurrences(of: "preset: canonical\n", with: "preset: canonical\n    school_name: Fife Primary\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: site.configPath))
        return site
    }

    @Test func lettersPrintOneParentToAPageWithTheirDetailsInAPrivateFileBesideTheCSV() async throws {
        try await withSlapd { server in
            let site = try Self.site(server)
            defer { site.remove() }
            try site.write(Self.export())
            let result = try await site.apply().result
            let csv = try #require(result.credentialsFile)
            let letters = try #require(result.lettersFile)
            #expect(letters == (csv as NSString).deletingPathExtension + ".html")
            #expect(csv.hasSuffix("-apply.csv") && (csv as NSString).deletingLastPathComponent == site.folder.file("credentials"))
            #expect(try FirstPasswordTests().permissions(of: letters) == 0o600)
            #expect(try FirstPasswordTests().permissions(of: site.folder.file("credentials")) == 0o700)

            let html = try String(contentsOfFile: letters, encoding: .utf8)
            let pages = html.components(separatedBy: "<section class=\"letter\">").dropFirst()
            #expect(pages.count == 2, "one page per parent")
            #expect(html.contains("page-break-after: always"))
            for row in try FirstPasswordTests().credentialsRows(csv) {
                let page = try #require(pages.first { $0.contains(row["username"] ?? "?") })
                #expect(page.contains("Fife Primary") && page.contains("https://vle.example.sch"))
                #expect(page.contains(">\(row["initial_password"] ?? "?")<"), "the password, in the credential font's cell")
                if row["given_name"] == "Ian" {
                    #expect(page.contains("Ian Reed") && page.contains("Tom Reed") && page.contains("Amy Reed"))
                } else {
                    // Names are escaped: a name cannot break the page.
                    #expect(page.contains("Siân O&#39;Neil &lt;Smith&gt;"))
                    #expect(!page.contains("<Smith>"))
                    #expect(page.contains("Zoë"))
                }
                #expect(page.contains("Acceptable use") && page.contains("cut here") && page.contains("Signature"))
            }
        }
    }

    @Test func aSchoolTemplateGivesTheWordsAndABrokenOneStopsTheRunBeforeAnyWrite() async throws {
        try await withSlapd { server in
            let site = try Self.site(server, accounts: ["letter_template: letter.mustache"])
            defer { site.remove() }
            try site.write(Self.export())
            let template = site.folder.file("letter.mustache")
            try Data("<p>Welcome to {{school_name}}\n{{#children}}<b>{{name}}</b>\n".utf8).write(to: URL(fileURLWithPath: template))
            await #expect(throws: ConfigError.self) { try await site.apply() }
            #expect(try await DirectoryInspector(server: server).entries(under: server.parentsBase, filter: "(objectClass=misParent)").isEmpty)
            let written = (try? FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials"))) ?? []
            #expect(written.isEmpty, "no credentials written")
            let run = try site.cli("apply")
            #expect(run.status == 2 && run.standardError.contains("letter.mustache:"), "\(run.standardError)")

            try Data("<p>Croeso i {{school_name}}, {{parent_name}}: {{username}} / {{password}}</p>{{#children}}<b>{{name}}</b>{{/children}}".utf8)
                .write(to: URL(fileURLWithPath: template))
            let result = try await site.apply().result
            let html = try String(contentsOfFile: try #require(result.lettersFile), encoding: .utf8)
            #expect(html.contains("Croeso i Fife Primary, Ian Reed: ") && html.contains("<b>Tom Reed</b><b>Amy Reed</b>"))
            #expect(!html.contains("Acceptable use"))
            #expect(html.components(separatedBy: "<section class=\"letter\">").count == 3)
        }
    }

    @Test func credentialsOlderThanTheRetentionAreDeletedAtTheStartOfTheNextRun() async throws {
        try await withSlapd { server in
            let site = try Self.site(server, accounts: ["credentials_retention_days: 30"])
            defer { site.remove() }
            let folder = site.folder.file("credentials")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let old = CredentialsWriter.fileStamp(Date().addingTimeInterval(-31 * 86_400))
            let recent = CredentialsWriter.fileStamp(Date().addingTimeInterval(-29 * 86_400))
            let names = ["\(old)-apply.csv", "\(old)-apply.html", "\(old)-reissue-2.csv", "\(recent)-apply.csv", "\(recent)-apply.html", "notes.txt", "old-list.csv"]
            for name in names {
                #expect(FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(name), contents: Data("x".utf8)))
            }
            try site.write(Self.export())
            let result = try await site.apply().result
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
            let written = Set([result.credentialsFile, result.lettersFile].compactMap { $0.map { ($0 as NSString).lastPathComponent } })
            #expect(written.count == 2)
            #expect(left == Set(names.dropFirst(3)).union(written), "only ldap-sync's own files past 30 days go")
        }
    }

    @Test func noPasswordReachesTheLogsTheAuditLogThePlansOrTheReports() async throws {
        try await withSlapd { server in
            let site = try Self.site(server, accounts: ["password_hash: ssha"])
            defer { site.remove() }
            var export = Self.export()
            try site.write(export)
            var outputs: [String] = []
            func record(_ run: CommandLineRun) {
                outputs += [run.standardOutput, run.standardError]
            }
            let created = try site.cli("apply", "--log-level", "trace")
            #expect(created.status == 0, "\(created.standardError)")
            record(created)
            export.change(contact: "C1") { $0.courtOrder = true }
            try site.write(export)
            record(try site.cli("apply", "--log-level", "trace"))
            export.change(contact: "C1") { $0.courtOrder = false }
            try site.write(export)
            for format in PlanReport.Format.allCases {
                record(try site.cli("plan", "--format", format.rawValue, "--log-level", "trace"))
            }
            let reinstated = try site.cli("apply", "--log-level", "trace")
            #expect(reinstated.status == 0, "\(reinstated.standardError)")
            record(reinstated)
            let rows = try FirstPasswordTests().credentialsRows(try #require(try FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials"))
                .filter { $0.hasSuffix(".csv") }.map { site.folder.file("credentials/\($0)") }.sorted().first))
            let username = try #require(rows.first?["username"])
            record(try site.credentials("reissue", "--user", username, "--log-level", "trace"))

            var passwords: [String] = []
            for file in try FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials")) where file.hasSuffix(".csv") {
                passwords += try FirstPasswordTests().credentialsRows(site.folder.file("credentials/\(file)")).compactMap { $0["initial_password"] }
            }
            #expect(passwords.count == 4, "two created, one reissued on enable, one by hand")
            var places = outputs
            for file in try FileManager.default.subpathsOfDirectory(atPath: site.folder.file("state")) {
                if let text = try? String(contentsOfFile: site.folder.file("state/\(file)"), encoding: .utf8) { places.append(text) }
            }
            #expect(places.count > outputs.count, "the audit log and state files are searched")
            for password in passwords {
                #expect(!places.contains { $0.contains(password) }, "a password leaked")
            }
            // The search can find one: the letters hold every password.
            let letters = try FileManager.default.contentsOfDirectory(atPath: site.folder.file("credentials")).filter { $0.hasSuffix(".html") }
                .map { try String(contentsOfFile: site.folder.file("credentials/\($0)"), encoding: .utf8) }.joined()
            #expect(passwords.allSatisfy { letters.contains($0) })
        }
    }
}
