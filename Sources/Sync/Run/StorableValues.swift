import Reconcile
import Roster

/// The MIS values an entry can hold under the directory's attribute syntaxes. One that does not fit is
/// left out with a warning (DESIGN.md Part A, "Nothing half-done"): the server would refuse the whole
/// add or modify, and a typo in the MIS must not keep a parent from their account.
enum StorableValues {
    /// `mail` has IA5 String syntax (RFC 4524): ASCII only, so an internationalised address cannot be
    /// stored, however valid it is for mail.
    static func mail(_ value: String?) -> String? {
        value.flatMap { $0.utf8.allSatisfy { $0 < 0x80 } ? $0 : nil }
    }

    /// `mobile` has Telephone Number syntax (RFC 4517): Printable String characters only.
    static func mobile(_ value: String?) -> String? {
        value.flatMap { $0.utf8.allSatisfy(isPrintableStringByte) ? $0 : nil }
    }

    /// A warning for each value of `parents` that `mail` or `mobile` leaves out.
    static func warnings(_ parents: some Collection<Parent>) -> [PlanWarning] {
        parents.flatMap { parent in warnings(id: parent.id, email: parent.email, mobile: parent.mobile) }
    }

    /// `warnings` of the eligible people of `parents`, each person's values read where they lie: a person
    /// taken out of the array (as a filtered collection hands them out) is a copy of the whole person, a
    /// retain and a release of each of their values, for 100,000 people nearly none of whom has a warning.
    static func warnings(eligibleIn parents: [Parent]) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        parents.withUnsafeBufferPointer { buffer in
            guard let people = buffer.baseAddress else { return }
            for index in 0..<buffer.count where people[index].isEligible {
                let (email, number) = (people[index].email, people[index].mobile)
                guard email.map({ mail($0) == nil }) ?? false || number.map({ mobile($0) == nil }) ?? false else { continue }
                warnings += Self.warnings(id: people[index].id, email: email, mobile: number)
            }
        }
        return warnings
    }

    /// One person's warnings, as `warnings` gives them.
    private static func warnings(id: String, email: String?, mobile number: String?) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        if let email, mail(email) == nil {
            warnings.append(PlanWarning(code: .valueLeftOut, message:
                "\(id): e-mail address \(email) has characters the directory's mail attribute cannot hold (ASCII only); left out"))
        }
        if let number, mobile(number) == nil {
            warnings.append(PlanWarning(code: .valueLeftOut, message:
                "\(id): mobile number \(number) has characters a telephone number cannot hold; left out"))
        }
        return warnings
    }

    /// A warning for each mobile number in the records of `parents` that is not a phone number at all
    /// ("ring after 6pm"): the directory's `mobile` (Telephone Number syntax) is left without it, and the
    /// school office learns which record to correct, with its file and line.
    static func unreadableMobiles(_ parents: some Collection<Parent>, contacts: [ContactReference: Contact]) -> [PlanWarning] {
        parents.flatMap { parent -> [PlanWarning] in
            guard parent.mobile == nil else { return [] }
            return parent.records.flatMap { reference -> [PlanWarning] in
                guard let contact = contacts[reference] else { return [] }
                return contact.phones.filter { $0.kind == .mobile && $0.e164 == nil }.map { phone in
                    PlanWarning(code: .valueLeftOut, message:
                        "\(parent.id): mobile number \(phone.raw) (\(contact.origin)) is not a phone number the directory can hold; "
                        + "left out: please correct it in the MIS")
                }
            }
        }
    }

    /// A–Z, a–z, 0–9 and ` '()+,-./:?` (RFC 4517 PrintableCharacter), tested on UTF-8 bytes: any byte
    /// of a non-ASCII character is 0x80 or above and fails (every parent's mobile goes through here).
    private static func isPrintableStringByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: " "), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: ","),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "?"):
            true
        default:
            false
        }
    }

    /// The same, looking the records up in the readable sources: only the contacts with a mobile number
    /// that is not one are kept for it (most runs have none), not every contact of the run.
    static func unreadableMobiles(_ parents: some Collection<Parent>, in sources: SourceSet) -> [PlanWarning] {
        let contacts = contactsWithUnreadableMobiles(sources)
        guard !contacts.isEmpty else { return [] }
        return unreadableMobiles(parents, contacts: contacts)
    }

    /// The contacts of the readable sources that have a mobile number which is not a phone number, by
    /// reference: of a reference in two sources, the last source's record, as a dictionary of every
    /// contact filled in source order kept (so a later record without such a number takes it out).
    static func contactsWithUnreadableMobiles(_ sources: SourceSet) -> [ContactReference: Contact] {
        var contacts: [ContactReference: Contact] = [:]
        for source in sources.readable {
            source.roster.contacts.withUnsafeBufferPointer { records in
                for index in records.indices {
                    if records[index].phones.contains(where: { $0.kind == .mobile && $0.e164 == nil }) {
                        contacts[records[index].reference] = records[index]
                    } else if !contacts.isEmpty {
                        contacts[records[index].reference] = nil
                    }
                }
            }
        }
        return contacts
    }
}
