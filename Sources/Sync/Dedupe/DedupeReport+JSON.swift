import Foundation
import Reconcile
import Roster

extension DedupeReport {
    /// `{"parents": [{"id", "name", "records", "children", "eligible", "reasons", "matched_on"}],
    /// "near_misses": [{"records": [a, b], "reason"}], "warnings": [...]}` exactly as DESIGN.md Part B,
    /// plus fields it allows adding: each parent's `links` (the decision per child), a near miss's
    /// `message`, and a warning's `school`, `records`, `file` and `line`.
    public func json() throws -> String {
        let document = JSONDocument(
            parents: resolution.parents.map { parent in
                JSONParent(
                    id: parent.id, name: parent.displayName, records: parent.records.map(\.description),
                    children: parent.children.map(\.description), eligible: parent.isEligible,
                    reasons: parent.reasons.map(\.rawValue), matched_on: parent.matchedOn.map(\.rawValue),
                    links: parent.links.map {
                        JSONLink(pupil: $0.pupil.description, record: $0.contact.description, eligible: $0.isEligible,
                                 reasons: $0.reasons.map(\.rawValue))
                    })
            },
            near_misses: resolution.nearMisses.map {
                JSONNearMiss(records: $0.records, reason: $0.reason.rawValue, message: $0.reason.description)
            },
            warnings: sourceWarnings.map {
                JSONWarning(code: $0.code.rawValue, message: $0.message, school: nil, records: nil,
                            file: $0.location?.file, line: $0.location?.line)
            } + resolution.warnings.map {
                JSONWarning(code: $0.code.rawValue, message: $0.message, school: $0.school, records: $0.records,
                            file: nil, line: nil)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}

// Field names are the interface's (snake_case), so the types spell them as they appear.
private struct JSONDocument: Encodable {
    let parents: [JSONParent]
    let near_misses: [JSONNearMiss]
    let warnings: [JSONWarning]
}

private struct JSONParent: Encodable {
    let id: String
    let name: String
    let records: [String]
    let children: [String]
    let eligible: Bool
    let reasons: [String]
    let matched_on: [String]
    let links: [JSONLink]
}

private struct JSONLink: Encodable {
    let pupil: String
    let record: String
    let eligible: Bool
    let reasons: [String]
}

private struct JSONNearMiss: Encodable {
    let records: [String]
    let reason: String
    let message: String
}

private struct JSONWarning: Encodable {
    let code: String
    let message: String
    let school: String?
    let records: [String]?
    let file: String?
    let line: Int?
}
