/// An LDAP search filter (RFC 4515) built from values, so that a value can never change the filter's shape:
/// `Filter.equal("uid", "*)(uid=*")` matches the literal text, not every entry.
public indirect enum Filter: Sendable, Hashable, CustomStringConvertible {
    case equal(String, String)
    case present(String)
    case and([Filter])
    case or([Filter])
    case not(Filter)
    /// `(attribute>=value)`: the attribute's ordering rule decides (`entryCSN>=…` finds what changed since).
    case greaterOrEqual(String, String)

    /// The RFC 4515 string form.
    public var description: String {
        switch self {
        case .equal(let attribute, let value): "(\(attribute)=\(Self.escape(value)))"
        case .present(let attribute): "(\(attribute)=*)"
        case .and(let filters): "(&\(filters.map(\.description).joined()))"
        case .or(let filters): "(|\(filters.map(\.description).joined()))"
        case .not(let filter): "(!\(filter))"
        case .greaterOrEqual(let attribute, let value): "(\(attribute)>=\(Self.escape(value)))"
        }
    }

    /// Escapes an assertion value (RFC 4515 §3): `*` `(` `)` `\` and NUL become `\2a` `\28` `\29` `\5c` `\00`.
    /// UTF-8 beyond ASCII is allowed as it is.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": out += "\\2a"
            case "(": out += "\\28"
            case ")": out += "\\29"
            case "\\": out += "\\5c"
            case "\u{0}": out += "\\00"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
