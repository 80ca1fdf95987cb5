import Foundation
import Roster

extension AccessReport {
    /// `{"pupil": {...}, "parents": [row, ...]}` or `{"parent": {...}, "children": [row, ...]}`; each row
    /// says the directory's side (`account`, `linked`, `can_see`), the sources' (`records`, `eligible`,
    /// `reasons`) and `verdict` (`justified`, `not-justified`, `not-linked-yet`, `no-link`).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(self)), as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        var pupil: PupilJSON?
        var parents: [RowJSON]?
        var parent: ParentJSON?
        var children: [RowJSON]?
        var notJustified: Int

        init(_ report: AccessReport) {
            let rows = report.rows.map(RowJSON.init)
            switch report.subject {
            case .pupil(let summary):
                pupil = PupilJSON(reference: summary.reference, name: summary.name, yearGroup: summary.yearGroup, inSources: summary.inSources)
                parents = rows
            case .parent(let summary):
                parent = ParentJSON(username: summary.username, name: summary.name, account: summary.account.map(AccountJSON.init))
                children = rows
            }
            notJustified = report.unjustified.count
        }

        enum CodingKeys: String, CodingKey {
            case pupil, parents, parent, children
            case notJustified = "not_justified"
        }
    }

    private struct PupilJSON: Encodable {
        var reference: String
        var name: String?
        var yearGroup: String?
        var inSources: Bool

        enum CodingKeys: String, CodingKey {
            case reference, name
            case yearGroup = "year_group"
            case inSources = "in_sources"
        }
    }

    private struct ParentJSON: Encodable {
        var username: String
        var name: String
        var account: AccountJSON?
    }

    private struct AccountJSON: Encodable {
        var dn: String
        var username: String
        var status: String?
        var locked: Bool
        var inRoleGroup: Bool?
        var canLogIn: Bool

        init(_ account: AccountView) {
            dn = account.dn
            username = account.username
            status = account.status
            locked = account.locked
            inRoleGroup = account.inRoleGroup
            canLogIn = account.canLogIn
        }

        enum CodingKeys: String, CodingKey {
            case dn, username, status, locked
            case inRoleGroup = "in_role_group"
            case canLogIn = "can_log_in"
        }
    }

    private struct RecordJSON: Encodable {
        var contact: String
        var relationship: String
        var relationshipAsWritten: String?
        var parentalResponsibility: Bool?
        var courtOrder: Bool?
        var accessWithdrawn: Bool?
        var priority: Int?
        var origin: String

        init(_ facts: SourceFacts) {
            contact = facts.contact
            relationship = facts.relationship
            relationshipAsWritten = facts.relationshipAsWritten
            parentalResponsibility = facts.parentalResponsibility.known
            courtOrder = facts.courtOrder.known
            accessWithdrawn = facts.accessWithdrawn.known
            priority = facts.priority
            origin = facts.origin
        }

        enum CodingKeys: String, CodingKey {
            case contact, relationship, priority, origin
            case relationshipAsWritten = "relationship_as_written"
            case parentalResponsibility = "parental_responsibility"
            case courtOrder = "court_order"
            case accessWithdrawn = "access_withdrawn"
        }
    }

    private struct RowJSON: Encodable {
        var pupil: String
        var pupilName: String?
        var parent: String?
        var name: String
        var account: AccountJSON?
        var linked: Bool
        var canSee: Bool
        var records: [RecordJSON]
        var eligible: Bool?
        var reasons: [String]
        var verdict: String

        init(_ row: AccessRow) {
            pupil = row.pupil
            pupilName = row.pupilName
            parent = row.account?.username
            name = row.parentName
            account = row.account.map(AccountJSON.init)
            linked = row.linked
            canSee = row.canSeeNow
            records = row.records.map(RecordJSON.init)
            eligible = row.eligible
            reasons = row.reasons.map(\.rawValue)
            verdict = row.verdict.rawValue
        }

        enum CodingKeys: String, CodingKey {
            case pupil, parent, name, account, linked, records, eligible, reasons, verdict
            case pupilName = "pupil_name"
            case canSee = "can_see"
        }
    }
}
