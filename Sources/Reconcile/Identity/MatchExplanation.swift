/// What joined two records into one person; a person's `matched_on` lists every key that did.
public enum MatchKey: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// The same MIS contact id at the same school.
    case contactID = "contact-id"
    /// An e-mail address no other person uses.
    case email
    /// A mobile number no other person uses.
    case mobile
    /// The same first address line and postcode.
    case address
    /// Given names matched through the nickname table (Mike and Michael).
    case nickname
    /// Given names one typing slip apart.
    case slip
    /// One record gives only an initial.
    case initial
    /// IT forced the merge in the dedupe overrides file.
    case override

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The position in declaration order. `allCases` builds a new array on every call, so the
    /// position is looked up in one built once.
    var ordinal: Int { Self.declared.firstIndex(of: self)! }

    static let declared = allCases
}

/// A set of match keys as bits in declaration order: each of a million proposed joins carries one,
/// where an array or a `Set` apiece cost an allocation.
struct MatchKeySet: Equatable, Sendable {
    private(set) var bits: UInt16 = 0

    init() {}

    init(_ key: MatchKey) { insert(key) }

    mutating func insert(_ key: MatchKey) { bits |= 1 << key.ordinal }

    mutating func formUnion(_ other: MatchKeySet) { bits |= other.bits }

    /// The keys in declaration order, as `matched_on` lists them.
    var sorted: [MatchKey] {
        var rest = bits
        var keys: [MatchKey] = []
        keys.reserveCapacity(rest.nonzeroBitCount)
        while rest != 0 {
            keys.append(MatchKey.declared[rest.trailingZeroBitCount])
            rest &= rest - 1
        }
        return keys
    }
}

/// Two people kept apart although their records look alike, for the school office to check in the MIS.
public struct NearMiss: Sendable, Hashable {
    /// One record of each person (`records[0] < records[1]`).
    public var records: [String]
    /// Why they were kept apart.
    public var reason: NearMissReason

    public init(records: [String], reason: NearMissReason) {
        self.records = records
        self.reason = reason
    }
}

/// Why two look-alike records were not merged, most telling first (a pair with several reasons shows
/// the first).
public enum NearMissReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// A merge would have joined two contacts of the same pupil, who are different people.
    case samePupil = "same-pupil"
    /// One record is a parent and the other a grandparent.
    case generation = "generation"
    /// The titles or relationships state different sexes.
    case sex = "sex"
    /// They share only an e-mail address or mobile number that other people use too.
    case sharedKeyOnly = "shared-key-only"
    /// The given names agree on an initial only, and only the address is shared.
    case initialOnly = "initial-only"
    /// Same name and nothing else in common: maybe one person with out-of-date details, maybe two.
    case sameNameOnly = "same-name-only"

    /// The reason in plain words for the school office.
    public var description: String {
        switch self {
        case .sameNameOnly:
            "same name but nothing else in common (no shared e-mail, mobile or address): check whether this is one person"
        case .samePupil:
            "both are contacts of the same pupil, so they are different people although the details match"
        case .generation:
            "same name and details, but one is recorded as a parent and the other as a grandparent"
        case .sex:
            "same details, but the titles or relationships say one is a man and the other a woman"
        case .sharedKeyOnly:
            "they share only an e-mail address or mobile number that other people in the family use too"
        case .initialOnly:
            "one record gives only an initial and the records share only an address"
        }
    }
}

/// Something the school office or IT should look at; it never stops the run.
public struct DedupeWarning: Sendable, Hashable {
    /// A stable code for scripts.
    public var code: DedupeWarningCode
    /// The problem in plain words, naming the records and values involved.
    public var message: String
    /// The school whose MIS should be fixed, when there is one.
    public var school: String?
    /// The records involved.
    public var records: [String]

    public init(code: DedupeWarningCode, message: String, school: String?, records: [String]) {
        self.code = code
        self.message = message
        self.school = school
        self.records = records
    }

    /// Warnings in the order every report lists them: by school, code, first record, message.
    ///
    /// The keys are taken once per warning and positions sorted: building the four keys of both sides
    /// (the code's text, copies of three strings) in every comparison was most of the sort. The same
    /// comparisons in the same sort give the same order, ties included.
    static func canonicallyOrdered(_ warnings: [DedupeWarning]) -> [DedupeWarning] {
        guard warnings.count > 1 else { return warnings }
        let keys = warnings.map { SortKey(school: $0.school ?? "", code: $0.code.rawValue, first: $0.records.first ?? "") }
        // Field by field as a tuple's `<` compares (the first that differs decides), without building
        // tuples: copying four strings into each side was the rest of the cost.
        return warnings.indices.sorted { first, second in
            if keys[first].school != keys[second].school { return keys[first].school < keys[second].school }
            if keys[first].code != keys[second].code { return keys[first].code < keys[second].code }
            if keys[first].first != keys[second].first { return keys[first].first < keys[second].first }
            return warnings[first].message < warnings[second].message
        }.map { warnings[$0] }
    }

    private struct SortKey {
        let school: String
        let code: String
        let first: String
    }
}

/// Codes of dedupe warnings.
public enum DedupeWarningCode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Different people share one e-mail address, so it joins no one.
    case sharedEmail = "shared-email"
    /// Different people share one mobile number, so it joins no one.
    case sharedMobile = "shared-mobile"
    /// So many records share a value that it cannot be anyone's own (a school's office number).
    case overSharedKey = "over-shared-key"
    /// One person has two e-mail addresses; the highest-priority link's is used.
    case conflictingEmail = "conflicting-email"
    /// One person has two mobile numbers; the highest-priority link's is used.
    case conflictingMobile = "conflicting-mobile"
    /// One school lists the same person under two contact ids.
    case duplicateContact = "duplicate-contact"
    /// An override names a record that no source has (it may have left).
    case overrideUnknownRecord = "override-unknown-record"
    /// Two overrides contradict each other; the merge stands.
    case overrideConflict = "override-conflict"
}
