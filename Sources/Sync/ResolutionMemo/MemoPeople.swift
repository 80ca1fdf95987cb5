import Foundation
import Reconcile

/// `SyncRun.People` as the memo's body: each person's entry as the sources describe it, then the
/// warnings and review items (JSON: a few, where the people are 100,000). `parents` is not kept: only
/// `apply` uses the memo, and it keeps none.
///
/// What the directory adds to a person later in a run — their username and their links' pupil entries —
/// is not kept either (a memo is encoded from the people as planned): they come back empty, as resolution
/// makes them.
enum MemoPeople {
    /// The body, handed to `write` a megabyte at a time (never whole: 100,000 people are some 20 MB).
    static func encode(_ people: SyncRun.People, _ write: (UnsafeRawBufferPointer) -> Void) {
        let chunk = 1 << 20
        var writer = MemoWriter(capacity: chunk + 4096)
        writer.count(people.desired.count)
        for person in people.desired {
            encode(person, into: &writer)
            if writer.bytes.count >= chunk { writer.drain(write) }
        }
        let encoder = JSONEncoder()
        // Both encode plain values; a failure would be a programming error, and an empty body a memo never used.
        writer.raw((try? Array(encoder.encode(people.warnings))) ?? [])
        writer.raw((try? Array(encoder.encode(people.review))) ?? [])
        writer.drain(write)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(MemoBytes.Truncated) -> SyncRun.People {
        var reader = MemoReader(bytes)
        let count = try reader.count()
        var desired: [DesiredParent] = []
        desired.reserveCapacity(min(count, bytes.count))
        for _ in 0..<count { desired.append(try person(from: &reader)) }
        let decoder = JSONDecoder()
        guard let warnings = try? decoder.decode([PlanWarning].self, from: Data(try reader.raw())),
            let review = try? decoder.decode([ReviewItem].self, from: Data(try reader.raw())), reader.isAtEnd
        else { throw MemoBytes.Truncated() }
        return SyncRun.People(desired: desired, warnings: warnings, review: review, parents: [])
    }

    private static func encode(_ person: DesiredParent, into writer: inout MemoWriter) {
        writer.string(person.personID)
        strings(person.contactRefs, into: &writer)
        writer.string(person.givenName)
        writer.string(person.familyName)
        writer.string(person.displayName)
        writer.optional(person.mail)
        writer.optional(person.mobile)
        if let sources = person.keySources {
            writer.byte(0)
            writer.optional(sources.email)
            writer.optional(sources.mobile)
        } else {
            let keys = person.identityKeys
            writer.byte(1)
            strings(keys.emails, into: &writer)
            strings(keys.mobiles, into: &writer)
            writer.string(keys.nameKey)
        }
        writer.count(person.links.count)
        for link in person.links {
            writer.string(link.pupilRef)
            writer.byte(link.eligible ? 1 : 0)
            writer.count(link.reasons.count)
            for reason in link.reasons { writer.byte(reasonNumber[reason]!) }
            writer.byte(link.loss == .revocation ? 1 : 0)
        }
    }

    private static func person(from reader: inout MemoReader) throws(MemoBytes.Truncated) -> DesiredParent {
        let personID = try reader.string()
        let contactRefs = try strings(from: &reader)
        let givenName = try reader.string()
        let familyName = try reader.string()
        let displayName = try reader.string()
        let mail = try reader.optional()
        let mobile = try reader.optional()
        let keyForm = try reader.byte()
        var keys: IdentityKeys?
        var keySources: (email: String?, mobile: String?) = (nil, nil)
        switch keyForm {
        case 0: keySources = (try reader.optional(), try reader.optional())
        case 1: keys = IdentityKeys(emails: try strings(from: &reader), mobiles: try strings(from: &reader), nameKey: try reader.string())
        default: throw MemoBytes.Truncated()
        }
        let linkCount = try reader.count()
        var links: [DesiredLink] = []
        links.reserveCapacity(min(linkCount, 1024))
        for _ in 0..<linkCount {
            let pupilRef = try reader.string()
            let eligible = try reader.byte() == 1
            let reasonCount = try reader.count()
            var reasons: [ReasonCode] = []
            for _ in 0..<reasonCount {
                let number = Int(try reader.byte())
                guard number < ReasonCode.allCases.count else { throw MemoBytes.Truncated() }
                reasons.append(reasonOfNumber[number])
            }
            let loss: LinkLoss = try reader.byte() == 1 ? .revocation : .disappearance
            links.append(DesiredLink(pupilRef: pupilRef, pupilDN: nil, eligible: eligible, reasons: reasons, loss: loss))
        }
        if let keys {
            return DesiredParent(
                personID: personID, contactRefs: contactRefs, identityKeys: keys, username: "", givenName: givenName,
                familyName: familyName, displayName: displayName, mail: mail, mobile: mobile, links: links)
        }
        return DesiredParent(
            personID: personID, contactRefs: contactRefs, username: "", givenName: givenName, familyName: familyName,
            displayName: displayName, mail: mail, mobile: mobile, links: links, keysFromEmail: keySources.email, mobile: keySources.mobile)
    }

    private static func strings(_ values: Set<String>, into writer: inout MemoWriter) {
        writer.count(values.count)
        for value in values { writer.string(value) }
    }

    private static func strings(from reader: inout MemoReader) throws(MemoBytes.Truncated) -> Set<String> {
        let count = try reader.count()
        var values = Set<String>(minimumCapacity: min(count, 1024))
        for _ in 0..<count { values.insert(try reader.string()) }
        return values
    }

    /// A reason as one byte: its place in `ReasonCode.allCases` (the memo's key includes the program, so a
    /// memo is never read by a build whose cases differ).
    private static let reasonOfNumber = ReasonCode.allCases
    private static let reasonNumber = Dictionary(uniqueKeysWithValues: ReasonCode.allCases.enumerated().map { ($1, UInt8($0)) })
}
