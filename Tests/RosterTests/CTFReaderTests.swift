import Foundation
import Roster
import Testing

/// A CTF document built from pupils and contacts, in the element names of research/mis-formats.md §1.
struct CTFFixture {
    struct ContactXML {
        var order: Int
        var title: String? = nil
        var forename: String? = "Jane"
        var surname: String? = "Doe"
        var relationship: String = "PAM"
        var responsibility: String? = "true"
        var email: String? = nil
        var phones: [(String, String)] = []
        var addressAsPupil = false
        var postcode: String? = nil

        var xml: String {
            var parts = ["<Order>\(order)</Order>"]
            if let title { parts.append("<Title>\(title)</Title>") }
            if let surname { parts.append("<Surname>\(surname)</Surname>") }
            if let forename { parts.append("<Forename>\(forename)</Forename>") }
            parts.append("<Relationship>\(relationship)</Relationship>")
            if let responsibility { parts.append("<Responsibility>\(responsibility)</Responsibility>") }
            if addressAsPupil {
                parts.append("<Address><AddressAsPupil>true</AddressAsPupil></Address>")
            } else if let postcode {
                parts.append("<Address><AddressLines><AddressLine1>1 Elm Road</AddressLine1></AddressLines><PostCode>\(postcode)</PostCode></Address>")
            }
            if !phones.isEmpty {
                parts.append("<Phones>" + phones.map { "<Phone><TelephoneType>\($0.0)</TelephoneType><PhoneNo>\($0.1)</PhoneNo></Phone>" }.joined() + "</Phones>")
            }
            if let email { parts.append("<Email>\(email)</Email>") }
            return "<Contact>" + parts.joined(separator: "\n") + "</Contact>"
        }
    }

    var lea = "530"
    var estab = "4001"
    var pupils: [String] = []

    func pupil(upn: String?, surname: String = "DOE", forename: String = "Amy", applicationReference: String? = nil,
               postcode: String = "LS1 1AA", contacts: [ContactXML]) -> CTFFixture {
        var copy = self
        var parts: [String] = []
        if let applicationReference { parts.append("<ApplicationReference>\(applicationReference)</ApplicationReference>") }
        if let upn { parts.append("<UPN>\(upn)</UPN>") }
        parts.append("<Surname>\(surname)</Surname>\n<Forename>\(forename)</Forename>\n<DOB>2015-04-01</DOB>")
        parts.append("<BasicDetails><PreferredForename>Ames</PreferredForename><NCyearActual>5</NCyearActual></BasicDetails>")
        parts.append("<LookedAfter><InCare>false</InCare></LookedAfter>")
        parts.append("<Address><BS7666Address><PAON>2</PAON><Street>High Street</Street><Town>Leeds</Town></BS7666Address><PostCode>\(postcode)</PostCode></Address>")
        parts.append("<Contacts>\n" + contacts.map(\.xml).joined(separator: "\n") + "\n</Contacts>")
        copy.pupils.append("<Pupil>\n" + parts.joined(separator: "\n") + "\n</Pupil>")
        return copy
    }

    var xml: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile>
        <Header>
        <DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>
        <SourceSchool><LEA>\(lea)</LEA><Estab>\(estab)</Estab><SchoolName>Elm Primary</SchoolName></SourceSchool>
        </Header>
        <CTFpupilData>
        \(pupils.joined(separator: "\n"))
        </CTFpupilData>
        </CTfile>

        """
    }

    var bytes: [UInt8] { Array(xml.utf8) }
}

private func readCTF(_ bytes: [UInt8], options: ReaderOptions = ReaderOptions()) -> Result<Roster, RosterErrors> {
    Result { () throws(RosterErrors) in try CTFReader(options: options).read(bytes, name: "pupils.xml") }
}

@Suite struct CTFReaderTests {
    @Test func siblingsEachCarryTheirOwnCopyOfTheirContactsWithPositionalReferences() throws {
        let ctf = CTFFixture()
            .pupil(upn: "A111", contacts: [
                .init(order: 1, forename: "Mrs Jane", relationship: "PAM", email: "JANE@example.com",
                      phones: [("M", "07700 900001"), ("H", "0113 496 0000")], addressAsPupil: true),
                .init(order: 2, forename: "John", relationship: "PAF", responsibility: "False", postcode: "ls2 2bb"),
            ])
            .pupil(upn: "A222", contacts: [.init(order: 1, relationship: "PAM")])
        let roster = try #require(readCTF(ctf.bytes).roster())
        #expect(roster.pupils.map(\.reference.description) == ["5304001/A111", "5304001/A222"])
        #expect(roster.contacts.map(\.reference.description) == ["5304001/A111/1", "5304001/A111/2", "5304001/A222/1"])
        let pupil = try #require(roster.pupil("A111"))
        #expect(pupil.name == PersonName(given: "Amy", family: "Doe"))
        #expect(pupil.preferredGivenName == "Ames")
        #expect(pupil.yearGroup == "5")
        #expect(pupil.lookedAfter == .no)
        #expect(pupil.schoolName == "Elm Primary")
        #expect(pupil.dateOfBirth == CalendarDate(year: 2015, month: 4, day: 1))
        let mother = try #require(roster.contact("5304001/A111/1"))
        #expect(mother.name == PersonName(title: "Mrs", given: "Jane", family: "Doe"))
        #expect(mother.emails.first?.normalised == "jane@example.com")
        #expect(mother.phones.map(\.kind) == [.mobile, .home])
        #expect(mother.phones.map(\.e164) == ["+447700900001", "+441134960000"])
        #expect(mother.address?.postcode == "LS1 1AA")
        #expect(mother.address?.lines == ["2", "High Street"])
        #expect(roster.contact("5304001/A111/2")?.address?.normalisedPostcode == "LS2 2BB")
        let first = try #require(roster.link("A111", "5304001/A111/1"))
        #expect(first.relationship == .mother)
        #expect(first.priority == 1)
        #expect(first.hasParentalResponsibility == .yes)
        #expect(first.livesWithPupil == .yes)
        #expect(first.hasCourtOrder == .unknown)
        let father = try #require(roster.link("A111", "5304001/A111/2"))
        #expect(father.relationship == .father)
        #expect(father.hasParentalResponsibility == .no)
        #expect(father.livesWithPupil == .unknown)
        #expect(roster.warnings.isEmpty)
    }

    @Test func configSchoolIdWinsOverTheHeader() throws {
        let ctf = CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1)])
        let roster = try #require(readCTF(ctf.bytes, options: ReaderOptions(schoolID: "999")).roster())
        #expect(roster.pupils.first?.reference.description == "999/A1")
    }

    @Test func pupilWithoutUPNIsKnownByItsApplicationReference() throws {
        let ctf = CTFFixture().pupil(upn: nil, applicationReference: "APP-7", contacts: [.init(order: 1)])
        let roster = try #require(readCTF(ctf.bytes).roster())
        #expect(roster.pupils.first?.reference.pupilID == "APP-7")
        #expect(roster.pupils.first?.upn == nil)
    }

    @Test func unknownRelationshipCodeIsKeptRawWithAWarning() throws {
        let ctf = CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1, relationship: "PAR")])
        let roster = try #require(readCTF(ctf.bytes).roster())
        #expect(roster.links.first?.relationshipRaw == "PAR")
        #expect(roster.links.first?.relationship == .unknown)
        #expect(roster.warnings.isEmpty)
        let odd = CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1, relationship: "ZZZ")])
        let warned = try #require(readCTF(odd.bytes).roster())
        #expect(warned.links.first?.relationshipRaw == "ZZZ")
        #expect(warned.warnings(.unknownRelationship).count == 1)
    }

    @Test func latin1DocumentIsReadByItsDeclaredEncoding() throws {
        let xml = CTFFixture().pupil(upn: "A1", surname: "Pérez", contacts: [.init(order: 1, surname: "Pérez")]).xml
            .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
        let bytes = xml.unicodeScalars.map { UInt8($0.value) }
        let roster = try #require(readCTF(bytes).roster())
        #expect(roster.contacts.first?.name.family == "Pérez")
    }

    @Test func malformedXmlIsAnErrorWithItsLine() throws {
        let xml = CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1)]).xml.replacingOccurrences(of: "</Forename>", with: "</Forname>")
        let errors = readCTF(Array(xml.utf8)).errors()
        let error = try #require(errors.first)
        #expect(error.location.file == "pupils.xml")
        #expect(error.location.line == 11)
        #expect(error.description.contains("not well-formed XML"))
    }

    @Test func documentThatIsNotACTFIsRefused() throws {
        let errors = readCTF(Array("<?xml version=\"1.0\"?>\n<html><body/></html>".utf8)).errors()
        #expect(errors.count == 1)
        guard case .unsupported(let reason) = errors.first?.kind else { Issue.record("\(errors)"); return }
        #expect(reason.contains("<html>"))
    }

    @Test func emptyFileAndFileWithoutPupilsAreErrors() throws {
        #expect(readCTF([]).errors().map(\.kind) == [.empty])
        #expect(readCTF(CTFFixture().bytes).errors().map(\.kind) == [.noPupils])
    }

    @Test func pupilWithoutAnyIdAndContactWithoutSurnameAreErrorsWithTheirLines() throws {
        let ctf = CTFFixture()
            .pupil(upn: nil, contacts: [.init(order: 1)])
            .pupil(upn: "A2", contacts: [.init(order: 1, surname: nil)])
        let errors = readCTF(ctf.bytes).errors()
        #expect(errors.count == 2)
        #expect(errors.first?.location.line == 8)
        #expect(errors.last?.description.contains("the contact has no Surname") == true)
    }

    @Test func withoutConfigSchoolIdOrHeaderLEAThePupilIsAnError() throws {
        var ctf = CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1)])
        ctf.lea = ""
        let errors = readCTF(ctf.bytes).errors()
        #expect(errors.first?.description.contains("no school id") == true)
    }

    @Test func fileOnDiskIsStreamedAndNamedInErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.xml")
        try Data(CTFFixture().pupil(upn: "A1", contacts: [.init(order: 1)]).bytes).write(to: good)
        let empty = folder.appendingPathComponent("empty.xml")
        try Data().write(to: empty)
        let roster = try CTFReader().read([SourceFile(path: good.path, displayName: "good.xml")])
        #expect(roster.pupils.count == 1)
        do {
            _ = try CTFReader().read([SourceFile(path: empty.path, displayName: "empty.xml"),
                                      SourceFile(path: folder.appendingPathComponent("absent.xml").path, displayName: "absent.xml")])
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.location.file) == ["empty.xml", "absent.xml"])
        }
    }
}
