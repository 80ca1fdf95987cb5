import Foundation
import Testing

@testable import Roster
import struct Roster.SourceLocation

/// `SourceLocation` holds its line and column in 32 bits each, and `Pupil` its address out of line: each
/// must read, compare, describe and encode as the form before did.
@Suite struct CompactModelTests {
    /// The form before: what the synthesised `Codable` wrote and read.
    private struct General: Codable, Hashable {
        var file: String
        var line: Int?
        var column: Int?
    }

    private static let values: [Int?] = [nil, 0, 1, 2, 57, 65_535, 1_000_000, 2_147_483_647, -1]

    @Test func readsComparesDescribesAndEncodesAsTwoOptionalIntegers() throws {
        // Sorted keys: without, the order of an object's keys is not fixed from one encoding to the next.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            for file in ["", "exports/school-5301000.csv", "export.zip:users.csv"] {
                for line in Self.values {
                    for column in Self.values {
                        let location = SourceLocation(file: file, line: line, column: column)
                        let general = General(file: file, line: line, column: column)
                        #expect(location.file == file && location.line == line && location.column == column)
                        let encoded = try encoder.encode(location)
                        #expect(encoded == (try encoder.encode(general)), "\(general)")
                        #expect(try JSONDecoder().decode(General.self, from: encoded) == general)
                        #expect(try JSONDecoder().decode(SourceLocation.self, from: encoded) == location)
                        #expect(try JSONDecoder().decode(SourceLocation.self, from: try encoder.encode(general)) == location)
                        var text = file
                        if let line {
                            text += ":\(line)"
                            if let column { text += ":\(column)" }
                        }
                        #expect(location.description == text)
                    }
                }
            }
        }
    }

    @Test func equalWhenFileLineAndColumnAreAndSettersWrite() {
        var seen: Set<SourceLocation> = []
        var general: Set<General> = []
        for file in ["a.csv", "b.csv"] {
            for line in Self.values {
                for column in Self.values {
                    seen.insert(SourceLocation(file: file, line: line, column: column))
                    general.insert(General(file: file, line: line, column: column))
                }
            }
        }
        #expect(seen.count == general.count)
        var location = SourceLocation(file: "a.csv")
        location.line = 12
        location.column = 3
        #expect(location == SourceLocation(file: "a.csv", line: 12, column: 3))
        location.column = nil
        #expect(location == SourceLocation(file: "a.csv", line: 12))
        location.file = "b.csv"
        #expect(location.description == "b.csv:12")
        #expect(MemoryLayout<SourceLocation>.size == 24)
    }

    /// `Pupil` as it was, with its address in line and the synthesised `Codable`.
    private struct GeneralPupil: Codable {
        var reference: PupilReference
        var origin: SourceLocation
        var upn: String?
        var name: PersonName
        var preferredGivenName: String?
        var dateOfBirth: CalendarDate?
        var yearGroup: String?
        var registrationGroup: String?
        var schoolName: String?
        var lookedAfter: TriState
        var leavingDate: CalendarDate?
        var address: PostalAddress?
    }

    @Test func aPupilWithItsAddressOutOfLineComparesAndEncodesAsBefore() throws {
        let addresses: [PostalAddress?] = [
            nil, PostalAddress(), PostalAddress(lines: ["1 High Street"], town: "Leeds", postcode: "LS1 1AA", normalisedPostcode: "LS1 1AA"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var pupils: [Pupil] = []
        for (index, address) in addresses.enumerated() {
            for upn in [nil, "A123456789012"] {
                var pupil = Pupil(
                    reference: PupilReference(schoolID: "5301000", pupilID: "P\(index)"), origin: SourceLocation(file: "a.csv", line: 2),
                    upn: upn, name: PersonName(given: "Ann", family: "Smith"), dateOfBirth: CalendarDate(year: 2015, month: 4, day: 1),
                    yearGroup: "7", lookedAfter: .no, address: address)
                #expect(pupil.address == address)
                let general = GeneralPupil(
                    reference: pupil.reference, origin: pupil.origin, upn: upn, name: pupil.name, preferredGivenName: nil,
                    dateOfBirth: pupil.dateOfBirth, yearGroup: "7", registrationGroup: nil, schoolName: nil, lookedAfter: .no,
                    leavingDate: nil, address: address)
                let encoded = try encoder.encode(pupil)
                #expect(encoded == (try encoder.encode(general)))
                #expect(try JSONDecoder().decode(Pupil.self, from: encoded) == pupil)
                pupils.append(pupil)
                pupil.address = addresses[(index + 1) % addresses.count]
                #expect(pupil.address == addresses[(index + 1) % addresses.count])
                #expect((pupil == pupils.last!) == (address == pupil.address))
            }
        }
        // Equal pupils hash alike whatever box their addresses are in.
        let copies = pupils.map { pupil -> Pupil in
            var copy = pupil
            copy.address = pupil.address.map { PostalAddress(lines: $0.lines, town: $0.town, county: $0.county, postcode: $0.postcode, normalisedPostcode: $0.normalisedPostcode) }
            return copy
        }
        #expect(Set(pupils) == Set(copies))
        #expect(Set(pupils).count == pupils.count)
    }
}
