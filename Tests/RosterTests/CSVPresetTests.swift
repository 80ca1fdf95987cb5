import Foundation
import Roster
import Testing

@Suite struct CSVPresetTests {
    @Test func simsReportWithForenameTwiceGivesThePupilTheFirstAndTheContactTheSecond() throws {
        let csv = CSVFixture(header: [
            "Adno", "UPN", "Forename", "Surname", "Year", "Contact ID", "Title", "Forename ", "Surname ",
            "Relationship", "Priority", "Parental Responsibility", "Court Order", "Lives With Pupil",
            "Primary Email", "Mobile",
        ])
        .row([
            "Adno": "001234", "UPN": "A123", "Forename": "Amy", "Surname": "Jones", "Year": "7", "Contact ID": "9001",
            "Title": "Mrs", "Forename ": "Karen", "Surname ": "Jones", "Relationship": "Mother", "Priority": "1",
            "Parental Responsibility": "T", "Court Order": "F", "Lives With Pupil": "T",
            "Primary Email": "karen@example.com", "Mobile": "07700900001",
        ])
        let reader = CSVReader(preset: .sims, options: ReaderOptions(schoolID: "5301234"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.pupils.first?.reference.description == "5301234/001234")
        #expect(roster.pupils.first?.name == PersonName(given: "Amy", family: "Jones"))
        #expect(roster.contacts.first?.name == PersonName(title: "Mrs", given: "Karen", family: "Jones"))
        #expect(roster.contacts.first?.reference.description == "5301234/9001")
        #expect(roster.links.first?.hasParentalResponsibility == .yes)
        #expect(roster.links.first?.hasCourtOrder == .no)
    }

    @Test func arborLegalGuardianIsParentalResponsibility() throws {
        let csv = CSVFixture(header: ["Student ID", "Guardian ID", "Guardian First Name", "Guardian Last Name", "Legal Guardian"])
            .row(["Student ID": "S1", "Guardian ID": "G1", "Guardian First Name": "Ann", "Guardian Last Name": "Lee", "Legal Guardian": "Yes"])
        let reader = CSVReader(preset: .arbor, options: ReaderOptions(schoolID: "1"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.links.first?.hasParentalResponsibility == .yes)
    }

    @Test func bromcomCourtOrderRestrictedAccessIsTheCourtOrder() throws {
        let csv = CSVFixture(header: ["Student ID", "Contact ID", "Contact Surname", "Court Order Restricted Access", "Contact Priority"])
            .row(["Student ID": "S1", "Contact ID": "C1", "Contact Surname": "Lee", "Court Order Restricted Access": "Y", "Contact Priority": "3"])
        let reader = CSVReader(preset: .bromcom, options: ReaderOptions(schoolID: "1"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.links.first?.hasCourtOrder == .yes)
        #expect(roster.links.first?.priority == 3)
    }

    @Test func flatLayoutSplitsWholeNamesAndGivesPositionalReferences() throws {
        let csv = CSVFixture(header: [
            "CHILD_ID", "CHILD_FIRST_NAME", "CHILD_LAST_NAME", "PARENT_1_NAME", "PARENT_1_RELATIONSHIP",
            "PARENT_1_EMAIL", "PARENT_1_PHONE", "PARENT_2_NAME", "PARENT_2_RELATIONSHIP", "PARENT_2_EMAIL", "PARENT_2_PHONE",
        ])
        .row([
            "CHILD_ID": "P1", "CHILD_FIRST_NAME": "Ralphie", "CHILD_LAST_NAME": "Lauren",
            "PARENT_1_NAME": "Mr Conor Jones", "PARENT_1_RELATIONSHIP": "Dad", "PARENT_1_EMAIL": "c@example.net",
            "PARENT_2_NAME": "Anna Daly", "PARENT_2_RELATIONSHIP": "Guardian", "PARENT_2_PHONE": "+44 7700 900002",
        ])
        .row(["CHILD_ID": "P2", "CHILD_FIRST_NAME": "Solo", "CHILD_LAST_NAME": "Kid"])
        let reader = CSVReader(preset: .flat, options: ReaderOptions(schoolID: "120026"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.pupils.count == 2)
        #expect(roster.contacts.map(\.reference.description) == ["120026/P1/1", "120026/P1/2"])
        #expect(roster.contacts.first?.name == PersonName(title: "Mr", given: "Conor", family: "Jones"))
        #expect(roster.links.map(\.relationship) == [.father, .guardian])
        #expect(roster.contacts.last?.phones.first?.e164 == "+447700900002")
    }

    @Test func flatLayoutWithoutAnyNameColumnIsMissingFamilyName() throws {
        let csv = CSVFixture(header: ["CHILD_ID", "PARENT_1_EMAIL"]).row(["CHILD_ID": "P1", "PARENT_1_EMAIL": "a@b.co"])
        let reader = CSVReader(preset: .flat, options: ReaderOptions(schoolID: "1"))
        let error = try #require(read(csv.bytes(), with: reader).errors().first)
        guard case .missingColumns(let missing, _) = error.kind else { Issue.record("\(error)"); return }
        #expect(missing.count == 1)
        #expect(missing.first?.hasPrefix("family_name") == true)
    }

    @Test func columnsMapNamesTheSchoolsOwnHeadersAndWinsOverThePreset() throws {
        let csv = CSVFixture(header: ["Kid No", "Carer Surname", "PR?", "pupil_id"])
            .row(["Kid No": "K1", "Carer Surname": "Lee", "PR?": "N", "pupil_id": "ignored"])
        let reader = CSVReader(
            columns: [.pupilID: "Kid No", .familyName: "carer surname", .parentalResponsibility: "PR?"],
            options: ReaderOptions(schoolID: "1"))
        let roster = try #require(read(csv.bytes(), with: reader).roster())
        #expect(roster.pupils.first?.reference.pupilID == "K1")
        #expect(roster.links.first?.hasParentalResponsibility == .no)
    }

    @Test func columnsMapNamingAHeaderThatIsNotThereIsAMissingColumn() throws {
        let csv = CSVFixture().link(pupil: "P1", contact: "C1")
        let reader = CSVReader(columns: [.familyName: "Carer Surname"])
        let error = try #require(read(csv.bytes(), with: reader).errors().first)
        guard case .missingColumns(let missing, _) = error.kind else { Issue.record("\(error)"); return }
        #expect(missing == ["family_name (columns: says \"Carer Surname\")"])
    }

    @Test func columnsMapCannotNameAContactFieldOfTheFlatLayout() throws {
        let csv = CSVFixture(header: ["CHILD_ID", "PARENT_1_NAME", "Carer"]).row(["CHILD_ID": "P1", "PARENT_1_NAME": "Ann Lee"])
        let reader = CSVReader(preset: .flat, columns: [.email: "Carer"], options: ReaderOptions(schoolID: "1"))
        let error = try #require(read(csv.bytes(), with: reader).errors().first)
        guard case .unsupported(let reason) = error.kind else { Issue.record("\(error)"); return }
        #expect(reason.contains("email"))
    }

    @Test func everyPresetIsFoundByName() {
        #expect(Set(CSVPreset.all.keys) == ["canonical", "sims", "arbor", "bromcom", "flat"])
    }
}

/// The class-list exports other projects wrote (../shared/samples/uk-class-list-csv), messy on purpose.
@Suite struct UKClassListSampleTests {
    static func files() -> [URL] {
        guard let samples = samplesFolder()?.appendingPathComponent("uk-class-list-csv") else { return [] }
        let enumerator = FileManager.default.enumerator(at: samples, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "csv" }.sorted { $0.path < $1.path }
    }

    func read(_ name: String) throws -> Result<Roster, RosterErrors> {
        let file = try #require(Self.files().first { $0.path.hasSuffix(name) })
        let reader = CSVReader(preset: .flat, options: ReaderOptions(schoolID: "120026"))
        return Result { () throws(RosterErrors) in try reader.read([SourceFile(path: file.path, displayName: name)]) }
    }

    @Test func everySampleReadsToARosterOrToErrorsThatNameTheFile() throws {
        let files = Self.files()
        guard !files.isEmpty else {
            print("skipped: ../shared/samples/uk-class-list-csv is not here")
            return
        }
        for file in files {
            let reader = CSVReader(preset: .flat, options: ReaderOptions(schoolID: "120026"))
            do {
                let roster = try reader.read([SourceFile(path: file.path, displayName: file.lastPathComponent)])
                #expect(!roster.pupils.isEmpty, "\(file.lastPathComponent)")
            } catch {
                #expect(error.errors.allSatisfy { $0.location.file == file.lastPathComponent })
            }
        }
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func rowWithoutAPupilIdIsTheOnlyErrorOfTheFreeTextRelationshipsSample() throws {
        let errors = try read("class_import/review_two.csv").errors()
        #expect(errors.map(\.description) == ["class_import/review_two.csv:6:13: error: pupil_id is blank"])
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func everyRowWithoutAPupilIdInTheLatin1SampleIsReportedInOneRun() throws {
        let errors = try read("cohort_import/valid_iso_8859_1_encoding.csv").errors()
        #expect(errors.map(\.location.line) == [2, 5, 8, 12, 15, 16])
        #expect(errors.allSatisfy { $0.location.column == 6 })
    }

    @Test(.enabled(if: samplesFolder() != nil, "../shared/samples is not here"))
    func parentWithAnEmailButNoNameIsAnErrorNamingLineAndColumn() throws {
        let errors = try read("class_import/valid.csv").errors()
        #expect(errors.first?.location == SourceLocation(file: "class_import/valid.csv", line: 2, column: 1))
    }
}

@Suite struct CSVFieldTests {
    @Test func everyFieldHasItsOwnPositionForArrayLookups() {
        #expect(CSVField.allCases.map(\.ordinal) == Array(CSVField.allCases.indices))
    }
}
