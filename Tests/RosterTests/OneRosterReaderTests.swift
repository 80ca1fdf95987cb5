import Foundation
import Roster
import Testing
import ZIPFoundation

private let users11 = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName",
    "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password",
]
private let users12 = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName",
    "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password", "primaryOrgSourcedId",
]

/// A OneRoster 1.1 export: school org, two siblings, their mother (enabled), a guardian whose access
/// the source withdrew, a relative linked only from her own row, a teacher, and a deleted parent.
private func oneRoster11() -> [String: CSVFixture] {
    let users = CSVFixture(header: users11)
        .row(["sourcedId": "s1", "enabledUser": "true", "orgSourcedIds": "org1", "role": "student", "givenName": "Amy",
              "familyName": "Jones", "identifier": "A12345678901X", "agentSourcedIds": "p1,g1,t1", "grades": "07"])
        .row(["sourcedId": "s2", "orgSourcedIds": "org1", "role": "student", "givenName": "Ben", "familyName": "Jones",
              "agentSourcedIds": "p1", "grades": "09"])
        .row(["sourcedId": "p1", "enabledUser": "TRUE", "orgSourcedIds": "org1", "role": "parent", "givenName": "Kate",
              "familyName": "JONES", "email": "Kate@Example.com", "sms": "07700900001", "agentSourcedIds": "s1,s2"])
        .row(["sourcedId": "g1", "enabledUser": "false", "orgSourcedIds": "org1", "role": "guardian", "givenName": "Gary",
              "familyName": "Gee"])
        .row(["sourcedId": "r1", "orgSourcedIds": "org1", "role": "relative", "givenName": "Rita", "familyName": "Jones",
              "agentSourcedIds": "s2"])
        .row(["sourcedId": "t1", "orgSourcedIds": "org1", "role": "teacher", "givenName": "Tom", "familyName": "Teach"])
        .row(["sourcedId": "x1", "status": "tobedeleted", "orgSourcedIds": "org1", "role": "parent", "familyName": "Gone",
              "agentSourcedIds": "s1"])
    return [
        "manifest.csv": CSVFixture(header: ["propertyName", "value"])
            .row(["propertyName": "manifest.version", "value": "1.0"])
            .row(["propertyName": "oneroster.version", "value": "1.1"]),
        "orgs.csv": CSVFixture(header: ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"])
            .row(["sourcedId": "org1", "name": "Elm Academy", "type": "school", "identifier": "5304001"]),
        "users.csv": users,
    ]
}

@Suite struct OneRosterReaderTests {
    @Test func version11LinksAgentsInEitherDirectionWithRolesAndWithdrawnAccess() throws {
        let folder = try ExportFolder(oneRoster11())
        defer { folder.remove() }
        let roster = try OneRosterReader().read(path: folder.path, displayName: "oneroster")
        #expect(roster.pupils.map(\.reference.description) == ["5304001/s1", "5304001/s2"])
        #expect(roster.pupils.first?.schoolName == "Elm Academy")
        #expect(roster.pupils.first?.yearGroup == "07")
        #expect(roster.pupils.first?.upn == "A12345678901X")
        #expect(Set(roster.contacts.map(\.reference.description)) == ["5304001/p1", "5304001/g1", "5304001/r1"])
        let mother = try #require(roster.contact("5304001/p1"))
        #expect(mother.name == PersonName(given: "Kate", family: "Jones"))
        #expect(mother.emails.first?.normalised == "kate@example.com")
        #expect(mother.phones.first == PhoneNumber(raw: "07700900001", e164: "+447700900001", kind: .mobile))
        #expect(roster.links.count == 4)
        let parentLink = try #require(roster.link("s1", "5304001/p1"))
        #expect(parentLink.relationshipRaw == "parent")
        #expect(parentLink.relationship == .unknown)
        #expect(parentLink.accessWithdrawn == .no)
        #expect(parentLink.hasParentalResponsibility == .unknown)
        #expect(parentLink.priority == nil)
        let guardian = try #require(roster.link("s1", "5304001/g1"))
        #expect(guardian.relationship == .guardian)
        #expect(guardian.accessWithdrawn == .yes)
        // Linked only from the relative's own agentSourcedIds.
        #expect(roster.link("s2", "5304001/r1")?.relationship == .other)
        #expect(roster.link("s2", "5304001/p1") != nil)
        let dangling = roster.warnings(.danglingReference)
        #expect(dangling.count == 1)
        #expect(dangling.first?.message.contains("t1 of student s1 is teacher") == true)
        #expect(!roster.contacts.contains { $0.reference.description.hasSuffix("/x1") })
    }

    @Test func configSchoolIdWinsOverTheOrgIdentifier() throws {
        let folder = try ExportFolder(oneRoster11())
        defer { folder.remove() }
        let roster = try OneRosterReader(options: ReaderOptions(schoolID: "777")).read(path: folder.path)
        #expect(roster.pupils.allSatisfy { $0.reference.schoolID == "777" })
    }

    @Test func version12TakesRolesFromRolesCsvWhereATeacherCanBeAGuardian() throws {
        let files: [String: CSVFixture] = [
            "users.csv": CSVFixture(header: users12)
                .row(["sourcedId": "s1", "givenName": "Amy", "familyName": "Lee", "agentSourcedIds": "t1", "primaryOrgSourcedId": "org1"])
                .row(["sourcedId": "t1", "givenName": "Tess", "familyName": "Lee", "enabledUser": "true"]),
            "roles.csv": CSVFixture(header: ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
                                             "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"])
                .row(["sourcedId": "r1", "userSourcedId": "s1", "roleType": "primary", "role": "student", "orgSourcedId": "org1"])
                .row(["sourcedId": "r2", "userSourcedId": "t1", "roleType": "primary", "role": "teacher", "orgSourcedId": "org1"])
                .row(["sourcedId": "r3", "userSourcedId": "t1", "roleType": "secondary", "role": "guardian", "orgSourcedId": "org1"]),
        ]
        let folder = try ExportFolder(files)
        defer { folder.remove() }
        let roster = try OneRosterReader().read(path: folder.path)
        #expect(roster.pupils.map(\.reference.description) == ["org1/s1"])
        #expect(roster.link("s1", "org1/t1")?.relationship == .guardian)
    }

    @Test func zipWithTheFilesInsideAFolderReads() throws {
        let folder = try ExportFolder(oneRoster11())
        defer { folder.remove() }
        let zipURL = folder.url.appendingPathComponent("export.zip")
        let archive = try Archive(url: zipURL, accessMode: .create)
        for name in ["manifest.csv", "orgs.csv", "users.csv"] {
            try archive.addEntry(with: "export/\(name)", fileURL: folder.url.appendingPathComponent(name), compressionMethod: .deflate)
        }
        let roster = try OneRosterReader().read(path: zipURL.path, displayName: "export.zip")
        #expect(roster.pupils.count == 2)
        #expect(roster.links.count == 4)
    }

    @Test func missingColumnInsideAZipNamesTheMember() throws {
        var files = oneRoster11()
        files["users.csv"] = CSVFixture(header: ["sourcedId", "role", "givenName"]).row(["sourcedId": "s1", "role": "student"])
        let folder = try ExportFolder(files)
        defer { folder.remove() }
        let zipURL = folder.url.appendingPathComponent("export.zip")
        let archive = try Archive(url: zipURL, accessMode: .create)
        try archive.addEntry(with: "users.csv", fileURL: folder.url.appendingPathComponent("users.csv"), compressionMethod: .deflate)
        do {
            _ = try OneRosterReader().read(path: zipURL.path, displayName: "export.zip")
            Issue.record("expected an error")
        } catch {
            let first = try #require(error.errors.first)
            #expect(first.location == SourceLocation(file: "export.zip:users.csv", line: 1))
            #expect(first.kind == .missingColumns(missing: ["familyName"], found: ["sourcedId", "role", "givenName"]))
        }
    }

    @Test func folderWithoutUsersCsvOrWithoutStudentsIsAnError() throws {
        let empty = try ExportFolder([:])
        defer { empty.remove() }
        #expect(throws: RosterErrors.self) { try OneRosterReader().read(path: empty.path) }
        var files = oneRoster11()
        files["users.csv"] = CSVFixture(header: users11).row(["sourcedId": "p1", "role": "parent", "familyName": "X"])
        let noStudents = try ExportFolder(files)
        defer { noStudents.remove() }
        do {
            _ = try OneRosterReader().read(path: noStudents.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.kind) == [.noPupils])
        }
    }

    @Test func pathThatIsNeitherAFolderNorAZipIsUnreadable() throws {
        let folder = try ExportFolder(["users.csv": CSVFixture(header: users11)])
        defer { folder.remove() }
        do {
            _ = try OneRosterReader().read(path: folder.url.appendingPathComponent("users.csv").path, displayName: "users.csv")
            Issue.record("expected an error")
        } catch {
            guard case .unreadable = error.errors.first?.kind else { Issue.record("\(error)"); return }
        }
    }

    @Test func blankIdsStudentsWithoutASchoolAndNamelessContactsAreErrorsWithTheirLines() throws {
        let files: [String: CSVFixture] = [
            "users.csv": CSVFixture(header: users11)
                .row(["sourcedId": "", "role": "student", "familyName": "Nobody"])
                .row(["sourcedId": "s1", "role": "student", "familyName": "Lost", "agentSourcedIds": "p1"])
                .row(["sourcedId": "s2", "role": "student", "orgSourcedIds": "org1", "familyName": "Found", "agentSourcedIds": "p1"])
                .row(["sourcedId": "p1", "role": "parent", "orgSourcedIds": "org1", "givenName": "Pat"]),
        ]
        let folder = try ExportFolder(files)
        defer { folder.remove() }
        do {
            _ = try OneRosterReader().read(path: folder.path, displayName: "or")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.description) == [
                "or/users.csv:2:1: error: sourcedId is blank",
                "or/users.csv:3: error: student s1 has no org and the config gives no school_id",
                "or/users.csv:5: error: contact p1 has no familyName",
            ])
        }
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func sharedVersion11SampleLinksTheParentFromItsOwnRow() throws {
        let path = try #require(samplesFolder()).appendingPathComponent("oneroster-1.1").path
        let roster = try OneRosterReader().read(path: path, displayName: "oneroster-1.1")
        #expect(roster.pupils.count == 3)
        let link = try #require(roster.link("usr-222-66778899", "History/usr-222-1234561"))
        #expect(link.relationship == .unknown)
        #expect(link.relationshipRaw == "parent")
        #expect(link.accessWithdrawn == .no)
        // Students' agents are teachers in this sample: reported, not linked.
        #expect(!roster.warnings(.danglingReference).isEmpty)
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func sharedVersion12SampleFindsTheTeacherWhoIsAlsoAGuardian() throws {
        let path = try #require(samplesFolder()).appendingPathComponent("oneroster-1.2").path
        let roster = try OneRosterReader().read(path: path, displayName: "oneroster-1.2")
        #expect(!roster.pupils.isEmpty)
        let link = try #require(roster.link("usr-222-66778899", "History/usr-222-123456"))
        #expect(link.relationship == .guardian)
        #expect(roster.pupils.first { $0.reference.pupilID == "usr-222-66778899" }?.preferredGivenName == "MJ")
    }
}
