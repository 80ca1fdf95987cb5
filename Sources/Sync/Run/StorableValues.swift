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
        parents.flatMap { parent in
            var warnings: [PlanWarning] = []
            if let email = parent.email, mail(email) == nil {
                warnings.append(PlanWarning(code: .valueLeftOut, message:
                    "\(parent.id): e-mail address \(email) has characters the directory's mail attribute cannot hold (ASCII only); left out"))
            }
            if let number = parent.mobile, mobile(number) == nil {
                warnings.append(PlanWarning(code: .valueLeftOut, message:
                    "\(parent.id): mobile number \(number) has characters a telephone number cannot hold; left out"))
            }
            return warnings
        }
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

    /// The same, looking the records up in the readable sources. Only a record with a mobile number
    /// that is not one can give a warning, and nearly none has one: the contacts are read in place for
    /// such a number first, and a person's records are looked up only when some contact has one (copying
    /// every contact and hashing every no-mobile person's references was 1.8 % of a 100k no-op run).
    static func unreadableMobiles(_ parents: some Collection<Parent>, in sources: SourceSet) -> [PlanWarning] {
        var unreadable = Set<ContactReference>()
        for source in sources.readable {
            source.roster.contacts.withUnsafeBufferPointer { contacts in
                for contact in contacts.indices where hasUnreadableMobile(contacts[contact]) {
                    unreadable.insert(contacts[contact].reference)
                }
            }
        }
        guard !unreadable.isEmpty else { return [] }
        // The last source's record of each such reference, as the dictionary of every contact filled in
        // source order kept: a later record of the reference without such a number gives no warning.
        var contacts: [ContactReference: Contact] = [:]
        for source in sources.readable {
            source.roster.contacts.withUnsafeBufferPointer { all in
                for contact in all.indices where unreadable.contains(all[contact].reference) {
                    contacts[all[contact].reference] = all[contact]
                }
            }
        }
        return unreadableMobiles(parents, contacts: contacts)
    }

    /// True when `contact` has a mobile number that is not a phone number (what the warning reports).
    private static func hasUnreadableMobile(_ contact: Contact) -> Bool {
        for phone in contact.phones where phone.kind == .mobile && phone.e164 == nil { return true }
        return false
    }

    /// The general form of `unreadableMobiles(_:in:)`: every record of every person without a mobile
    /// number looked up (the form the answer above is tested against).
    static func unreadableMobilesOfEveryRecord(_ parents: some Collection<Parent>, in sources: SourceSet) -> [PlanWarning] {
        let wanted = Set(parents.lazy.filter { $0.mobile == nil }.flatMap(\.records))
        guard !wanted.isEmpty else { return [] }
        var contacts: [ContactReference: Contact] = [:]
        for source in sources.readable {
            for contact in source.roster.contacts where wanted.contains(contact.reference) {
                // The last source's record, as a dictionary of every contact filled in source order kept.
                contacts[contact.reference] = contact
            }
        }
        return unreadableMobiles(parents, contacts: contacts)
    }
}
