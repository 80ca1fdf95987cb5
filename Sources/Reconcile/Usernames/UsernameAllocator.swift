/// Hands out usernames that are unique, never reused and never changed.
///
/// It starts from every name that is unavailable — the `uid`s the directory holds under
/// `username_scope` and every username ever issued (kept in `state_dir`) — and never returns one of
/// them. A person who already has a username keeps it, whatever happens to their name since; only
/// people without one get a new name from the template, with a number added on collision
/// (`jane.smith`, `jane.smith2`, `jane.smith3`, …) and the whole cut to `max_length`.
/// Usernames compare without regard to case, as LDAP compares `uid`.
public struct UsernameAllocator: Sendable {
    /// The template new usernames come from.
    public let template: UsernameTemplate
    /// The longest username handed out, suffix included.
    public let maxLength: Int
    private var unavailable: Set<String>
    /// The next suffix worth trying per base, so the thousandth "mohammed.khan" does not retry 2…999.
    private var nextSuffix: [String: Int] = [:]

    /// The shortest `max_length` accepted: room for a short base and a collision number.
    public static let minimumLength = 4

    /// A name for a person whose name folds to nothing in ASCII (and who has no e-mail for the template).
    public static let fallbackBase = "parent"

    /// - Parameters:
    ///   - unavailable: every username that must not be handed out: directory `uid`s in scope and every
    ///     username ever issued.
    public init(template: UsernameTemplate, maxLength: Int, unavailable: some Sequence<String>)
        throws(UsernameAllocatorError)
    {
        guard maxLength >= Self.minimumLength else { throw .maxLengthTooShort(maxLength) }
        self.template = template
        self.maxLength = maxLength
        self.unavailable = Set(unavailable.map { $0.lowercased() })
    }

    /// Records a username a person already holds, so no one else gets it; returns it unchanged.
    @discardableResult
    public mutating func keep(_ username: String) -> String {
        unavailable.insert(username.lowercased())
        return username
    }

    /// A new username for a person with these names, never handed out before.
    public mutating func allocate(given: String, family: String, email: String?) -> String {
        // Rendered usernames are ASCII, so a byte prefix is a character prefix.
        var base = template.render(given: given, family: family, email: email)
        // `render` tidied the whole already; only a cut can leave a separator at the end.
        if base.utf8.count > maxLength {
            base = UsernameTemplate.tidySeparators(String(decoding: base.utf8.prefix(maxLength), as: UTF8.self))
        }
        if base.isEmpty { base = Self.fallbackBase }
        if unavailable.insert(base).inserted { return base }
        var suffix = nextSuffix[base] ?? 2
        while true {
            let number = String(suffix)
            // The base is tidy already; only a cut to make room for the number can leave a separator.
            let stem = base.utf8.count + number.count <= maxLength ? base
                : UsernameTemplate.tidySeparators(String(decoding: base.utf8.prefix(maxLength - number.count), as: UTF8.self))
            let candidate = stem + number
            suffix += 1
            if unavailable.insert(candidate).inserted {
                nextSuffix[base] = suffix
                return candidate
            }
        }
    }
}

/// A username setting that cannot work.
public enum UsernameAllocatorError: Error, Equatable, CustomStringConvertible {
    case maxLengthTooShort(Int)

    public var description: String {
        switch self {
        case .maxLengthTooShort(let length):
            "accounts.max_length \(length) is too short: at least \(UsernameAllocator.minimumLength) "
                + "characters are needed for a name and a collision number"
        }
    }
}
