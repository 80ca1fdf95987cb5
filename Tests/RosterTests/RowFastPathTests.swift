import Foundation
import Testing

@testable import Roster
import TestRandom

/// A row's fast paths (the ASCII check eight bytes at a time, the e-mail's one-pass check, the postcode's
/// byte compare, phones in a buffer made at its size, records moved into the builder) must give what the
/// general forms give: non-ASCII and Windows-1252 text, a BOM, quoted fields with line breaks and names
/// typed in capitals included.
@Suite struct RowFastPathTests {
    /// Bytes that decide the answer: ASCII letters, the top of ASCII, continuation and lead bytes, a
    /// no-break space's two bytes and 0xFF.
    private static let scanBytes: [UInt8] = [0x41, 0x7A, 0x20, 0x00, 0x7F, 0x80, 0xC2, 0xA0, 0xC3, 0xA9, 0xFF, 0x2E]

    @Test func asciiEightBytesAtATimeIsTheByteByByteAnswer() {
        for seed in UInt64(0)..<4_000 {
            var random = SeededGenerator(seed: seed)
            // Mostly ASCII with now and then one other byte anywhere, at every alignment.
            let count = random.next(41)
            let offset = random.next(8)
            var bytes = (0..<(count + offset)).map { _ in UInt8(0x20 + random.next(0x5F)) }
            if count > 0, random.next(3) == 0 { bytes[offset + random.next(count)] = random.pick(Self.scanBytes) }
            bytes.withUnsafeBufferPointer { all in
                let field = UnsafeBufferPointer(rebasing: all[offset...])
                #expect(ASCIIScan.isASCII(field) == ASCIIScan.isASCIIByBytes(field), "seed \(seed)")
            }
        }
        #expect(ASCIIScan.isASCII(UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// Pieces e-mail values are made of: capitals, `mailto:`, angle brackets, white space, list
    /// separators, several `@`s and dots in every place, non-ASCII letters and a no-break space.
    private static let emailPieces = [
        "ann", "B", "@", ".", "@.", ".@", "example", "org", "m", "M", "mailto:", "<", ">", " ", "\t", ",", ";", "é",
        "\u{A0}", "1", "-", "_", "+", "Z", "zoë", "\r\n",
    ]

    @Test func theEmailCheckInOnePassIsTheTwoPassAnswer() {
        for seed in UInt64(0)..<6_000 {
            var random = SeededGenerator(seed: seed)
            var value = ""
            for _ in 0..<random.next(8) { value += random.pick(Self.emailPieces) }
            var bytes = value
            let (one, two) = bytes.withUTF8 { (EmailNormaliser.plainForm($0), EmailNormaliser.plainFormInTwoPasses($0)) }
            #expect(one == two, "seed \(seed): \(value.debugDescription)")
        }
        for value in ["a@b.co", "a@b", "@b.co", "a@.co", "a@b.co.", "a@@b.co", "a@b@c.co", "A@b.co", "ab.co"] {
            var bytes = value
            let (one, two) = bytes.withUTF8 { (EmailNormaliser.plainForm($0), EmailNormaliser.plainFormInTwoPasses($0)) }
            #expect(one == two, "\(value)")
        }
    }

    private static let names = ["Smith", "SMITH", "O'NEILL-SMITH", "Ó Briain", "JALAPEÑO", "van der Berg", "  Jones  ", "MJ", "Zoë", "DAVIES JONES"]
    private static let emails = [
        "ann@example.org", "Ann@Example.ORG", " bob@x.org ", "mailto:c@d.uk", "<e@f.com>", "n/a", "a@@b.com", "a@.b.com",
        "zoë@example.org", "g@h", "i,j@k.org", "l@m.org.", "mum@school.org", "MUM@SCHOOL.ORG", "ann@example.org\u{A0}",
    ]
    private static let phones = ["07700 900123", "+44 (0)7700 900124", "0044 20 7946 0000", "7700900125", "n/a", "020-7946-0001", " 07700900126 ", "+33 1 23 45 67 89"]
    private static let postcodes = ["SW1A 1AA", "sw1a1aa", " M60 1QD ", "GIR 0AA", "gir0aa", "GIRO 0AA", "B1 1AA", "NOT A CODE", "EC1V 9HX"]
    private static let lines = ["1 High Street", "Flat 2\n3 Low Road", "Appartement 4, Rue d'Été", "  5 Main St  ", "6 SCHOOL LANE\r\nVILLAGE"]

    /// Random canonical rows read from UTF-8 (with and without a BOM, CRLF and LF) and from Windows-1252
    /// bytes: every contact's name, e-mail, phones and postcode are what the general, public forms make of
    /// the values written.
    @Test func rowsReadAsTheGeneralFormsMakeTheirValues() throws {
        for seed in UInt64(0)..<60 {
            var random = SeededGenerator(seed: seed)
            var fixture = CSVFixture()
            var expected: [String: (family: String, given: String, email: EmailAddress?, phones: [PhoneNumber], postcode: String?, normalised: String?)] = [:]
            for row in 0..<(1 + random.next(30)) {
                let family = random.pick(Self.names)
                let given = random.pick(["Ann", "ANN", "Zoë", "Bob", "ÉMILE"])
                let email = random.pick(Self.emails)
                let mobile = random.pick(Self.phones)
                let home = random.next(2) == 0 ? random.pick(Self.phones) : ""
                let postcode = random.pick(Self.postcodes)
                let contact = "C\(row)"
                fixture = fixture.link(pupil: "P\(random.next(10))", contact: contact, [
                    "family_name": family, "given_name": given, "email": email, "mobile": mobile, "home_phone": home,
                    "postcode": postcode, "address_line1": random.pick(Self.lines), "title": "Mrs",
                ])
                let phones = [PhoneNormaliser.number(mobile, kind: .mobile), PhoneNormaliser.number(home, kind: .home)]
                    .compactMap { $0 }
                let trimmedPostcode = postcode.trimmingCharacters(in: .whitespaces)
                expected[contact] = (
                    NameNormaliser.displayForm(family)!, NameNormaliser.displayForm(given)!,
                    EmailNormaliser.address(email, kind: .primary), phones, trimmedPostcode,
                    PostcodeNormaliser.normalise(trimmedPostcode))
            }
            let latin1 = fixture.text().unicodeScalars.allSatisfy { $0.value < 0x100 }
            let encodings: [(String, [UInt8])] = [
                ("UTF-8 with BOM", fixture.bytes(bom: true)), ("UTF-8, LF", fixture.bytes(lineEnd: "\n")),
            ] + (latin1 ? [("Windows-1252", fixture.windows1252Bytes())] : [])
            for (encoding, bytes) in encodings {
                guard let roster = read(bytes).roster() else { continue }
                #expect(roster.contacts.count == expected.count, "seed \(seed), \(encoding)")
                for contact in roster.contacts {
                    guard case .contactID(let id) = contact.reference.key, let want = expected[id] else {
                        Issue.record("seed \(seed), \(encoding): unexpected contact \(contact.reference)")
                        continue
                    }
                    let context = "seed \(seed), \(encoding), \(id)"
                    #expect(contact.name.family == want.family, "\(context)")
                    #expect(contact.name.given == want.given, "\(context)")
                    #expect(contact.emails == (want.email.map { [$0] } ?? []), "\(context)")
                    #expect(contact.phones == want.phones, "\(context)")
                    #expect(contact.address?.postcode == want.postcode, "\(context)")
                    #expect(contact.address?.normalisedPostcode == want.normalised, "\(context)")
                }
            }
        }
    }
}
