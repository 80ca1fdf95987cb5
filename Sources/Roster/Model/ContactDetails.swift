/// A person's name split as the MIS holds it. Display forms keep the source's accents; a name typed all
/// in capitals is title-cased (see `NameNormaliser`).
public struct PersonName: Sendable, Hashable, Codable {
    /// Mr, Mrs, Ms, Dr, … when the source gives one (or it was typed in front of the forename).
    public var title: String?
    /// Forename(s) as used; `nil` when the source gives none.
    public var given: String?
    /// Middle names, when the source keeps them apart.
    public var middle: String?
    /// Family name; empty only for a pupil whose source gives none.
    public var family: String

    public init(title: String? = nil, given: String? = nil, middle: String? = nil, family: String) {
        self.title = title
        self.given = given
        self.middle = middle
        self.family = family
    }
}

/// Where an e-mail address or phone number is used, as far as the source says.
public enum ContactPointKind: String, Sendable, Hashable, Codable {
    case home, work, mobile, fax, primary, other
}

/// An e-mail address as the source wrote it and in the form dedupe compares.
public struct EmailAddress: Sendable, Hashable, Codable {
    /// The value as written in the source, trimmed.
    public var raw: String
    /// Trimmed and lower-cased, or `nil` when the value is not an address (`n/a`, `none`, no `@`).
    public var normalised: String?
    public var kind: ContactPointKind

    public init(raw: String, normalised: String?, kind: ContactPointKind) {
        self.raw = raw
        self.normalised = normalised
        self.kind = kind
    }
}

/// A phone number as the source wrote it and in E.164 when it is a UK number that can be read.
public struct PhoneNumber: Sendable, Hashable, Codable {
    /// The value as written in the source, trimmed.
    public var raw: String
    /// `+44…` (or another `+` number written with its prefix), or `nil` when it cannot be read.
    public var e164: String?
    public var kind: ContactPointKind

    public init(raw: String, e164: String?, kind: ContactPointKind) {
        self.raw = raw
        self.e164 = e164
        self.kind = kind
    }
}

/// A postal address. Used for matching only: a parent's entry never holds it (DESIGN.md Part A).
public struct PostalAddress: Sendable, Hashable, Codable {
    /// Address lines in order, blank ones left out; newlines inside a field are collapsed to ", ".
    public var lines: [String]
    /// Town or post town.
    public var town: String?
    /// County or administrative area.
    public var county: String?
    /// The postcode as written.
    public var postcode: String?
    /// Upper case with one space before the inward code (`SW1A 1AA`), when it looks like a UK postcode.
    public var normalisedPostcode: String?

    public init(
        lines: [String] = [], town: String? = nil, county: String? = nil, postcode: String? = nil,
        normalisedPostcode: String? = nil
    ) {
        self.lines = lines
        self.town = town
        self.county = county
        self.postcode = postcode
        self.normalisedPostcode = normalisedPostcode
    }

    /// True when nothing at all is known.
    public var isEmpty: Bool {
        lines.isEmpty && town == nil && county == nil && postcode == nil
    }
}
