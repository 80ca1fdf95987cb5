import Foundation
import Roster
import Testing

private func sdsExport(relationships: CSVFixture? = nil) -> [String: CSVFixture] {
    [
        "users.csv": CSVFixture(header: ["sourcedId", "username", "givenName", "familyName", "password", "activeDirectoryMatchId", "email", "phone", "sms"])
            .row(["sourcedId": "u1", "givenName": "Jack", "familyName": "Craig"])
            .row(["sourcedId": "u2", "givenName": "Fred", "familyName": "Hutch"])
            .row(["sourcedId": "c1", "givenName": "Jean", "familyName": "Craig", "email": "jean@example.com", "sms": "+44 7700 900003"]),
        "roles.csv": CSVFixture(header: ["userSourcedId", "orgSourcedId", "role", "sessionSourcedId", "grade", "isPrimary", "roleStartDate", "roleEndDate"])
            .row(["userSourcedId": "u1", "orgSourcedId": "o1", "role": "student", "grade": "10", "isPrimary": "TRUE"])
            .row(["userSourcedId": "u2", "orgSourcedId": "o1", "role": "student", "grade": "8", "isPrimary": "TRUE"]),
        "orgs.csv": CSVFixture(header: ["sourcedId", "name", "type", "parentSourcedId"]).row(["sourcedId": "o1", "name": "Oak High", "type": "school"]),
        "relationships.csv": relationships ?? CSVFixture(header: ["userSourcedId", "relationshipUserSourcedId", "relationshipRole"])
            .row(["userSourcedId": "u1", "relationshipUserSourcedId": "c1", "relationshipRole": "guardian"])
            .row(["userSourcedId": "u2", "relationshipUserSourcedId": "c1", "relationshipRole": "relative"]),
    ]
}

@Suite struct SDSReaderTests {
    @Test func oneContactCanHaveADifferentRelationshipToEachPupil() throws {
        let folder = try ExportFolder(sdsExport())
        defer { folder.remove() }
        let roster = try SDSReader().read(path: folder.path, displayName: "sds")
        #expect(roster.pupils.map(\.reference.description) == ["o1/u1", "o1/u2"])
        #expect(roster.pupils.map(\.yearGroup) == ["10", "8"])
        #expect(roster.pupils.first?.schoolName == "Oak High")
        #expect(roster.contacts.map(\.reference.description) == ["o1/c1"])
        #expect(roster.links.map(\.relationship) == [.guardian, .other])
        #expect(roster.contacts.first?.phones.first?.e164 == "+447700900003")
        #expect(roster.links.first?.origin == SourceLocation(file: "sds/relationships.csv", line: 2))
    }

    @Test func relationshipToAnUnknownUserIsWarnedAndIgnored() throws {
        let relationships = CSVFixture(header: ["userSourcedId", "relationshipUserSourcedId", "relationshipRole"])
            .row(["userSourcedId": "u1", "relationshipUserSourcedId": "nobody", "relationshipRole": "guardian"])
            .row(["userSourcedId": "c1", "relationshipUserSourcedId": "u1", "relationshipRole": "child"])
        let folder = try ExportFolder(sdsExport(relationships: relationships))
        defer { folder.remove() }
        let roster = try SDSReader().read(path: folder.path, displayName: "sds")
        #expect(roster.links.isEmpty)
        #expect(roster.warnings(.danglingReference).map { $0.location?.column } == [2, 1])
    }

    @Test func relationshipWithABlankUserIsAnError() throws {
        let relationships = CSVFixture(header: ["userSourcedId", "relationshipUserSourcedId", "relationshipRole"])
            .row(["userSourcedId": "u1", "relationshipUserSourcedId": "", "relationshipRole": "guardian"])
        let folder = try ExportFolder(sdsExport(relationships: relationships))
        defer { folder.remove() }
        do {
            _ = try SDSReader().read(path: folder.path, displayName: "sds")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.location) == [SourceLocation(file: "sds/relationships.csv", line: 2)])
        }
    }

    @Test func missingRelationshipsFileIsAnErrorNamingIt() throws {
        var files = sdsExport()
        files["relationships.csv"] = nil
        let folder = try ExportFolder(files)
        defer { folder.remove() }
        do {
            _ = try SDSReader().read(path: folder.path, displayName: "sds")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.location.file) == ["sds/relationships.csv"])
        }
    }

    @Test func malformedRowInUsersCsvNamesLineAndColumn() throws {
        let folder = try ExportFolder(sdsExport())
        defer { folder.remove() }
        let users = folder.url.appendingPathComponent("users.csv")
        var text = try String(contentsOf: users, encoding: .utf8)
        text += "u9,x,Bad\"Quote,Name,,,,,\r\n"
        try text.write(to: users, atomically: false, encoding: .utf8)
        do {
            _ = try SDSReader().read(path: folder.path, displayName: "sds")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.location) == [SourceLocation(file: "sds/users.csv", line: 5, column: 9)])
        }
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func sharedSampleGivesJeanCraigTwoChildrenWithTwoRelationships() throws {
        let path = try #require(samplesFolder()).appendingPathComponent("sds-v2.1").path
        let roster = try SDSReader().read(path: path, displayName: "sds-v2.1")
        #expect(roster.pupils.count == 4)
        let jean = roster.links.filter { $0.contact.description == "110003/114002" }
        #expect(jean.map(\.pupil.pupilID) == ["114001", "114003"])
        #expect(jean.map(\.relationship) == [.guardian, .other])
        #expect(roster.link("114004", "110003/114005")?.relationship == .guardian)
    }
}
