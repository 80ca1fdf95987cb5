import Directory
import Foundation
import SlapdHarness
import Testing

@testable import Sync

/// A parent portal discloses continuously: a parent's entry must hold no postal address, nothing about
/// another contact and no lives-with marker (the ICO's domestic-abuse breaches revealed a victim's
/// address to an abuser). Proved on the example data, read back from slapd.
@Suite struct DataMinimisationTests {
    /// The repository's examples/ folder (read in place).
    static var examples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples").path
    }

    /// Every attribute a parent entry may carry: the sync's own, the password and the ppolicy state.
    static let allowed: Set<String> = [
        "objectclass", "uid", "cn", "sn", "givenname", "displayname", "mail", "mobile", "misparentid", "miscontactref",
        "mischildref", "mischild", "misrole", "misaccountstatus", "misstatusreason", "misstatussince", "userpassword",
        "pwdreset", "pwdaccountlockedtime",
    ]

    @Test func noParentEntryHoldsAnAddressAnotherContactsDetailsOrALivesWithMarker() async throws {
        try await withSlapd { server in
            let site = try SyncSite(server: server)
            defer { site.remove() }
            try site.editConfig { yaml in
                let start = yaml.range(of: "sources:\n")!.upperBound
                let end = yaml.range(of: "policy:\n")!.lowerBound
                return yaml.replacingCharacters(in: start..<end, with: """
                      - format: csv
                        path: \(Self.examples)/exports/riverside-primary.csv
                        preset: canonical
                      - format: ctf
                        path: \(Self.examples)/exports/hillside-academy.xml
                        school_id: "5304001"

                    """)
            }
            let outcome = try await site.apply()
            #expect(outcome.exitStatus == .success, "\(outcome.sourceErrors)")

            let entries = try await DirectoryInspector(server: server).entries(
                under: server.parentsBase, filter: "(objectClass=misParent)", attributes: ["*", "+"])
            #expect(entries.count >= 4)
            let csv = try String(contentsOfFile: "\(Self.examples)/exports/riverside-primary.csv", encoding: .utf8)
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = rows[0]
            func column(_ name: String) -> Int { header.firstIndex(of: name)! }
            let addressWords = Set(rows.dropFirst().flatMap { row in
                ["address_line1", "address_line2", "town", "postcode"].map { row[column($0)] }.filter { !$0.isEmpty }
            })
            #expect(!addressWords.isEmpty)
            // Each record's own e-mail address, to show no entry carries another contact's.
            var emailOfRecord: [String: String] = [:]
            for row in rows.dropFirst() where row.count == header.count {
                emailOfRecord["\(row[column("school_id")])/\(row[column("contact_id")])"] = row[column("email")].lowercased()
            }

            for entry in entries {
                let names = Set(entry.attributes.map { $0.name.lowercased() })
                let user = names.filter { !Self.operational.contains($0) }
                #expect(user.isSubset(of: Self.allowed), "\(entry.dn) holds \(user.subtracting(Self.allowed).sorted())")
                let values = entry.attributes.flatMap(\.strings)
                for word in addressWords {
                    #expect(!values.contains { $0.localizedCaseInsensitiveContains(word) }, "\(entry.dn) holds \(word)")
                }
                #expect(!values.contains { $0.localizedCaseInsensitiveContains("lives") }, "\(entry.dn): a lives-with marker")
                let own = Set(entry.strings("misContactRef").compactMap { emailOfRecord[$0] })
                for mail in entry.strings("mail") where !own.isEmpty {
                    #expect(own.contains(mail.lowercased()), "\(entry.dn) holds \(mail), not its own records' address")
                }
            }
        }
    }

    /// Operational attributes slapd adds (`+`), which the sync does not write.
    static let operational: Set<String> = [
        "structuralobjectclass", "entryuuid", "creatorsname", "createtimestamp", "entrycsn", "modifiersname",
        "modifytimestamp", "entrydn", "subschemasubentry", "hassubordinates", "pwdchangedtime", "pwdpolicysubentry",
        "pwdfailuretime", "pwdhistory", "memberof",
    ]
}
