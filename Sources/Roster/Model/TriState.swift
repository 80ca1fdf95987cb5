/// A yes/no fact that a source may not state at all.
///
/// MIS exports often leave a flag blank, and formats such as OneRoster and CTF have no column for some
/// facts (court orders, parental responsibility). Eligibility rules must tell "the source says no" apart
/// from "the source does not say", so these facts are never plain `Bool`s.
public enum TriState: String, Sendable, Hashable, Codable, CaseIterable {
    /// The source says yes.
    case yes
    /// The source says no.
    case no
    /// The source is blank here, or has no such fact.
    case unknown

    /// `.yes` or `.no` for a known value.
    public init(_ value: Bool) {
        self = value ? .yes : .no
    }

    /// The known value, or `nil` when unknown.
    public var known: Bool? {
        switch self {
        case .yes: true
        case .no: false
        case .unknown: nil
        }
    }
}
