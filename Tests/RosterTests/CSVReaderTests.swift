import Foundation
import Roster
import Testing

@Suite struct CanonicalCSVTests {
    @Test func pupilWithTwoContactsGivesOnePupilTwoContactsAndTheFactsOnEachLink() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", [
                "upn": "A123456789012", "given_name": "Jane", "family_name": "DOE", "relationship": "Mother",
                "priority": "1", "parental_responsibility": "Yes", "court_order": "", "lives_with_pupil": "true",
                "email": "Jane.Doe@Example.com", "mobile": "07700 900123", "postcode": "sw1a1aa",
                "date_of_birth": "02/01/2015", "year_group": "5", "looked_after": "N", "leaving_date": "2027-07-20",
            ])
            .link(pupil: "P1", contact: "C2", [
                "given_name": "John", "family_name": "Doe", "relationship": "STF", "priority": "2",
                "parental_responsibility": "n", "court_order": "1", "access_withdrawn": "TRUE",
            ])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.pupils.count == 1)
        #expect(roster.contacts.count == 2)
        #expect(roster.links.count == 2)
        let pupil = try #require(roster.pupil("P1"))
        #expect(pupil.reference.description == "5301234/P1")
        #expect(pupil.upn == "A123456789012")
        #expect(pupil.dateOfBirth == CalendarDate(year: 2015, month: 1, day: 2))
        #expect(pupil.leavingDate == CalendarDate(year: 2027, month: 7, day: 20))
        #expect(pupil.lookedAfter == .no)
        #expect(pupil.origin == SourceLocation(file: "contacts.csv", line: 2))
        let mother = try #require(roster.contact("5301234/C1"))
        #expect(mother.name == PersonName(given: "Jane", family: "Doe"))
        #expect(mother.emails.first?.normalised == "jane.doe@example.com")
        #expect(mother.phones.first?.e164 == "+447700900123")
        #expect(mother.address?.normalisedPostcode == "SW1A 1AA")
        let first = try #require(roster.link("P1", "5301234/C1"))
        #expect(first.relationship == .mother)
        #expect(first.hasParentalResponsibility == .yes)
        #expect(first.hasCourtOrder == .unknown)
        #expect(first.livesWithPupil == .yes)
        #expect(first.accessWithdrawn == .unknown)
        let second = try #require(roster.link("P1", "5301234/C2"))
        #expect(second.relationshipRaw == "STF")
        #expect(second.relationship == .stepFather)
        #expect(second.priority == 2)
        #expect(second.hasParentalResponsibility == .no)
        #expect(second.hasCourtOrder == .yes)
        #expect(second.accessWithdrawn == .yes)
        #expect(second.origin.line == 3)
        #expect(roster.warnings.isEmpty)
    }

    @Test func contactSharedBySiblingsIsOneContactWithTwoLinks() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", ["relationship": "Mother"])
            .link(pupil: "P2", contact: "C1", ["relationship": "Aunt", "parental_responsibility": "N"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.contacts.count == 1)
        #expect(roster.links.map(\.relationship) == [.mother, .aunt])
        #expect(roster.links.map(\.hasParentalResponsibility) == [.yes, .no])
    }

    @Test func withoutContactIdsReferencesAreThePositionAmongThePupilsContacts() throws {
        let csv = CSVFixture().without("contact_id")
            .link(pupil: "P1", contact: nil, ["given_name": "Jane"])
            .link(pupil: "P1", contact: nil, ["given_name": "John"])
            .link(pupil: "P2", contact: nil, ["given_name": "Jane"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.contacts.map(\.reference.description) == ["5301234/P1/1", "5301234/P1/2", "5301234/P2/1"])
        #expect(roster.contacts.allSatisfy { $0.reference.isPositional })
    }

    @Test func schoolIdComesFromTheConfigWhenTheFileHasNone() throws {
        let csv = CSVFixture().without("school_id").link(pupil: "P1", contact: "C1")
        let reader = CSVReader(options: ReaderOptions(schoolID: "5309999", schoolName: "Fife Primary"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.pupils.first?.reference.description == "5309999/P1")
        #expect(roster.pupils.first?.schoolName == "Fife Primary")
        #expect(roster.contacts.first?.reference.description == "5309999/C1")
    }

    @Test func minimalFileWithOnlyTheRequiredColumnsReads() throws {
        let csv = CSVFixture(header: ["school_id", "pupil_id", "family_name"])
            .row(["school_id": "1", "pupil_id": "P1", "family_name": "Doe"])
        let roster = try #require(read(csv.bytes(lineEnd: "\n")).roster())
        #expect(roster.links.first?.relationship == .unknown)
        #expect(roster.links.first?.hasParentalResponsibility == .unknown)
    }

    @Test func headerMatchingIgnoresCaseSpacesAndUnderscores() throws {
        let csv = CSVFixture(header: ["School ID", "PUPIL_ID", "Family Name", "parentalresponsibility"])
            .row(["School ID": "1", "PUPIL_ID": "P1", "Family Name": "Doe", "parentalresponsibility": "y"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.links.first?.hasParentalResponsibility == .yes)
    }

    @Test func pupilRowWithoutAnyContactIsAPupilWithNoLinks() throws {
        let csv = CSVFixture().row(["school_id": "1", "pupil_id": "P1", "pupil_family_name": "Solo"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.pupils.count == 1)
        #expect(roster.links.isEmpty)
    }

    @Test func titleTypedIntoTheForenameIsSplitOff() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["given_name": "Mrs Jane", "title": ""])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.contacts.first?.name == PersonName(title: "Mrs", given: "Jane", family: "Of-P1"))
    }

    @Test func quotedNewlinesInAnAddressBecomeCommas() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["address_line1": "Flat 2\r\n10 High Street", "town": "Leeds"])
            .link(pupil: "P2", contact: "C2")
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.contacts.first?.address?.lines == ["Flat 2, 10 High Street"])
        // The record after a two-line record is located at its own line.
        #expect(roster.pupil("P2")?.origin.line == 4)
    }

    @Test func blankAndTrailingEmptyRowsAreSkipped() throws {
        var bytes = CSVFixture().link(pupil: "P1", contact: "C1").bytes()
        bytes += Array((String(repeating: ",", count: 29) + "\r\n\r\n").utf8)
        let roster = try #require(read(bytes).roster())
        #expect(roster.pupils.count == 1)
    }

    @Test func duplicateRowsForOnePupilAndContactMergeWithAWarningAndTheRestrictiveValueWins() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", ["priority": "2", "court_order": "N"])
            .link(pupil: "P1", contact: "C1", ["priority": "1", "court_order": "Y", "parental_responsibility": "N"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.links.count == 1)
        let link = try #require(roster.links.first)
        #expect(link.priority == 1)
        #expect(link.hasCourtOrder == .yes)
        #expect(link.hasParentalResponsibility == .no)
        #expect(roster.warnings(.duplicateLink).first?.location?.line == 3)
    }

    @Test func unknownRelationshipIsKeptRawWithAWarning() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["relationship": "Godmother"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.links.first?.relationshipRaw == "Godmother")
        #expect(roster.links.first?.relationship == .unknown)
        let warning = try #require(roster.warnings(.unknownRelationship).first)
        #expect(warning.location == SourceLocation(file: "contacts.csv", line: 2, column: 12))
    }

    @Test func unreadableFlagsDatesAndPrioritiesAreBlankWithWarnings() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", [
            "parental_responsibility": "maybe", "date_of_birth": "12/31/2015", "priority": "first",
        ])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.links.first?.hasParentalResponsibility == .unknown)
        #expect(roster.links.first?.priority == nil)
        #expect(roster.pupils.first?.dateOfBirth == nil)
        #expect(roster.warnings(.unreadableValue).count == 3)
    }

    @Test func conflictingCopiesOfAPupilKeepTheFirstWithAWarning() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", ["year_group": "5"])
            .link(pupil: "P1", contact: "C2", ["year_group": "6"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.pupils.first?.yearGroup == "5")
        #expect(roster.warnings(.conflictingPupil).count == 1)
    }

    // The reader skips rebuilding a pupil whose columns repeat the last row's bytes; these guard that
    // the shortcut never drops a warning.
    @Test func unreadableDateRepeatedOnEachRowOfAPupilWarnsOnEachRow() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", ["date_of_birth": "31/31/2015"])
            .link(pupil: "P1", contact: "C2", ["date_of_birth": "31/31/2015"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.warnings(.unreadableValue).map(\.location?.line) == [2, 3])
    }

    @Test func conflictingPupilAfterIdenticalRowsStillWarnsAndEveryLinkIsRead() throws {
        let csv = CSVFixture()
            .link(pupil: "P1", contact: "C1", ["year_group": "5"])
            .link(pupil: "P1", contact: "C2", ["year_group": "5"])
            .link(pupil: "P1", contact: "C3", ["year_group": "6"])
            .link(pupil: "P1", contact: "C4", ["year_group": "6"])
        let roster = try #require(read(csv.bytes()).roster())
        #expect(roster.pupils.count == 1)
        #expect(roster.pupils.first?.yearGroup == "5")
        #expect(roster.links.count == 4)
        // Rows 4 and 5 each disagree with the first copy: one warning each, as before the shortcut.
        #expect(roster.warnings(.conflictingPupil).map(\.location?.line) == [4, 5])
    }
}

@Suite struct CSVEncodingTests {
    @Test func byteOrderMarkAndLfOnlyRead() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["family_name": "Pérez"])
        let roster = try #require(read(csv.bytes(lineEnd: "\n", bom: true)).roster())
        #expect(roster.contacts.first?.name.family == "Pérez")
        #expect(roster.warnings.isEmpty)
    }

    @Test func windows1252FileIsReadWithAWarningNamingTheFirstField() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["family_name": "Jalapeño-Pérez"])
        let roster = try #require(read(csv.windows1252Bytes()).roster())
        #expect(roster.contacts.first?.name.family == "Jalapeño-Pérez")
        let warning = try #require(roster.warnings(.legacyEncoding).first)
        #expect(warning.location == SourceLocation(file: "contacts.csv", line: 2, column: 11))
    }

    @Test func utf16FileWithByteOrderMarkIsRead() throws {
        let text = CSVFixture().link(pupil: "P1", contact: "C1", ["family_name": "Zoë"]).text()
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let roster = try #require(read(bytes).roster())
        #expect(roster.contacts.first?.name.family == "Zoë")
    }
}

@Suite struct CSVValidationTests {
    @Test func missingRequiredColumnNamesTheFileTheColumnAndTheColumnsFound() throws {
        let csv = CSVFixture(header: ["school_id", "surname"]).row(["school_id": "1", "surname": "Doe"])
        let errors = read(csv.bytes(), name: "exports/a.csv").errors()
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.kind == .missingColumns(missing: ["pupil_id", "family_name"], found: ["school_id", "surname"]))
        #expect(error.location == SourceLocation(file: "exports/a.csv", line: 1))
        #expect(error.description.contains("exports/a.csv:1: error: missing required columns pupil_id, family_name"))
    }

    @Test func missingSchoolIdIsAnErrorOnlyWhenTheConfigGivesNone() throws {
        let csv = CSVFixture().without("school_id").link(pupil: "P1", contact: "C1")
        let errors = read(csv.bytes()).errors()
        #expect(errors.first?.kind == .missingColumns(missing: ["school_id"], found: csv.header))
    }

    @Test func malformedRowsAreAllReportedWithLineAndColumn() throws {
        var text = CSVFixture(header: ["school_id", "pupil_id", "family_name"]).text(lineEnd: "\n")
        text += "1,P1,Do\"e\n"          // line 2: quote inside a field
        text += "1,P2,\"Doe\"x\n"       // line 3: text after a closing quote
        text += "1,,Doe\n"              // line 4: blank pupil id
        text += "1,P4,Doe,extra\n"      // line 5: a value past the last column
        text += "1,P5\n"                // line 6: family_name cut off
        text += "1,P6,Doe\n"            // fine
        let errors = read(Array(text.utf8)).errors()
        #expect(errors.map { [$0.location.line, $0.location.column] } == [[2, 8], [3, 11], [4, 2], [5, 4], [6, 3]])
        #expect(errors.allSatisfy { $0.location.file == "contacts.csv" })
    }

    @Test func unclosedQuoteStopsTheFileAndNamesWhereItOpened() throws {
        let text = "school_id,pupil_id,family_name\n1,P1,\"Doe\n1,P2,Smith\n"
        let errors = read(Array(text.utf8)).errors()
        #expect(errors.count == 1)
        #expect(errors.first?.location == SourceLocation(file: "contacts.csv", line: 2, column: 6))
    }

    @Test func contactWithoutAFamilyNameIsAnError() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["family_name": "", "email": "x@example.com"])
        let errors = read(csv.bytes()).errors()
        #expect(errors.first?.location == SourceLocation(file: "contacts.csv", line: 2, column: 11))
    }

    @Test func errorsAreCollectedUpToTheLimit() throws {
        var csv = CSVFixture()
        for index in 0..<10 { csv = csv.link(pupil: "", contact: "C\(index)") }
        let reader = CSVReader(options: ReaderOptions(errorLimit: 4))
        let result = read(csv.bytes(), with: reader)
        guard case .failure(let failure) = result else { Issue.record("expected errors"); return }
        #expect(failure.errors.count == 4)
        #expect(failure.truncated)
    }

    @Test func emptyFileIsAnError() throws {
        #expect(read([]).errors().first?.kind == .empty)
        #expect(read([0xEF, 0xBB, 0xBF]).errors().first?.kind == .empty)
    }

    @Test func headerOnlyFileHasNoPupilAndIsAnError() throws {
        let errors = read(CSVFixture().bytes()).errors()
        #expect(errors.map(\.kind) == [.noPupils])
    }

    @Test func missingFileIsAnErrorNamingIt() throws {
        let reader = CSVReader()
        #expect(throws: RosterErrors.self) { try reader.read([SourceFile(path: "/nonexistent/x.csv", displayName: "x.csv")]) }
        do {
            _ = try reader.read([SourceFile(path: "/nonexistent/x.csv", displayName: "x.csv")])
        } catch {
            #expect(error.errors.first?.location.file == "x.csv")
        }
    }
}

@Suite struct CSVRowErrorTests {
    @Test func blankSchoolIdOnARowIsAnErrorWhenTheConfigGivesNone() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1", ["school_id": ""])
        let error = try #require(read(csv.bytes()).errors().first)
        #expect(error.location == SourceLocation(file: "contacts.csv", line: 2, column: 1))
        #expect(error.description.hasSuffix("school_id is blank and the config gives none"))
    }

    @Test func folderGivenAsACSVFileIsUnreadable() throws {
        do {
            _ = try CSVReader().read([SourceFile(path: FileManager.default.temporaryDirectory.path, displayName: "exports")])
            Issue.record("a folder was read as a file")
        } catch {
            #expect(error.errors.first?.kind == .unreadable(reason: "is a folder, not a file"))
        }
    }
}
