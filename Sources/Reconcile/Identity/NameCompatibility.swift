/// A name split into the tokens matching compares: separators (spaces, hyphens) split, apostrophes and
/// dots vanish, so "Smith-Jones", "Smith Jones" and "O'Brien"/"OBrien" compare as the MIS intended.
struct NameKey: Sendable, Hashable {
    /// The tokens joined with nothing between them: "smithjones".
    let joined: String
    /// The first token, or "" when the name is empty.
    let first: String
    /// Every token when there are several; empty for a one-word name (most names), which saves an
    /// array per name over a million records.
    private let several: [String]

    /// The tokens, in order.
    var tokens: [String] {
        if !several.isEmpty { return several }
        return first.isEmpty ? [] : [first]
    }

    /// Tokenises a name that is already normalised for matching (lower case, accents folded).
    init(_ normalised: String) {
        // Most names are one plain word already: nothing to split or drop.
        if normalised.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) {
            first = normalised
            joined = normalised
            several = []
            return
        }
        var tokens: [String] = []
        var current = ""
        for scalar in normalised.unicodeScalars {
            switch scalar {
            case " ", "-", "\u{2010}", "\u{2013}", "\t", ",":
                if !current.isEmpty { tokens.append(current); current = "" }
            case "'", "\u{2019}", ".", "`":
                continue
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        first = tokens.first ?? ""
        if tokens.count > 1 {
            several = tokens
            joined = tokens.joined()
        } else {
            several = []
            joined = first
        }
    }
}

/// How two given names agree, strongest first. A weaker agreement needs stronger evidence to merge.
public enum GivenNameAgreement: Int, Sendable, Comparable {
    /// One is a single initial that the other starts with ("J" and "Jane").
    case initial = 1
    /// One typing slip apart ("Jnae" and "Jane").
    case slip = 2
    /// Nickname-equivalent through the built-in table ("Mike" and "Michael").
    case nickname = 3
    /// The same name (the first given names agree; middle names may be missing on one side).
    case same = 4

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The rules that decide whether two records can name the same person. Names alone never merge two
/// records: they only permit a merge that a strong identifier proposes.
enum NameCompatibility {
    /// Family names are compatible when equal after normalisation, allowing hyphenated and spaced
    /// variants ("Smith-Jones" and "Smith Jones"), and a double-barrelled name against one of its parts
    /// ("Smith-Jones" and "Jones"), as a parent may be recorded either way at two schools.
    static func familiesAgree(_ a: NameKey, _ b: NameKey) -> Bool {
        guard !a.joined.isEmpty, !b.joined.isEmpty else { return false }
        if a.joined == b.joined { return true }
        let (short, long) = a.tokens.count <= b.tokens.count ? (a, b) : (b, a)
        return long.tokens.count >= 2 && short.tokens.count < long.tokens.count
            && Set(short.tokens).isSubset(of: long.tokens)
    }

    /// How the given names agree, or nil when they name different people (or one is missing).
    static func givenAgreement(_ a: NameKey, _ b: NameKey) -> GivenNameAgreement? {
        let fa = a.first, fb = b.first
        guard !fa.isEmpty, !fb.isEmpty else { return nil }
        if fa == fb || a.joined == b.joined { return .same }
        if Nicknames.areEquivalent(fa, fb) { return .nickname }
        if isInitialOf(fa, fb) || isInitialOf(fb, fa) { return .initial }
        if isAcceptedSlip(fa, fb) { return .slip }
        return nil
    }

    /// Whether two clusters' given names can be one person's. Every pair must agree, or be bridged by a
    /// third name of the two clusters that agrees with both, one of them by a slip ("Micahel" and "Mick"
    /// through "Michael"; "Daivd" and "Dvaid" through "David"). Initials and nicknames alone never bridge:
    /// "J" would chain Jane to John, and "Chris" Christine to Christopher.
    static func givenNamesCanJoin(_ a: [NameKey], _ b: [NameKey]) -> Bool {
        for x in a {
            for y in b where givenAgreement(x, y) == nil {
                let bridged = (a + b).contains { z in
                    guard z.first.unicodeScalars.count > 1, let zx = givenAgreement(z, x), let zy = givenAgreement(z, y),
                        zx != .initial, zy != .initial
                    else { return false }
                    return zx == .slip || zy == .slip
                }
                if !bridged { return false }
            }
        }
        return true
    }

    /// Whether `initial` is a single letter that `name` starts with.
    private static func isInitialOf(_ initial: String, _ name: String) -> Bool {
        // A single scalar is at most four UTF-8 bytes: a longer name is told apart by its byte count
        // (at hand) rather than by walking all its scalars, which showed for every pair of names.
        initial.utf8.count <= 4 && initial.unicodeScalars.count == 1
            && name.unicodeScalars.first == initial.unicodeScalars.first
    }

    /// Short names are too close to each other for a slip to be evidence (Jon/Jan, Ann/Ian), and the
    /// last letter is where English names mark sex (Paul/Paula, Louis/Louise), so neither counts.
    static let shortestNameForSlip = 4

    /// Distinct names one slip apart anywhere but the last letter.
    static let distinctNamesOneSlipApart: Set<[String]> = [
        ["frances", "francis"], ["jean", "joan"], ["marian", "marion"], ["lorna", "norna"],
    ]

    private static func isAcceptedSlip(_ a: String, _ b: String) -> Bool {
        guard a.unicodeScalars.count >= shortestNameForSlip, b.unicodeScalars.count >= shortestNameForSlip,
            let slip = OneSlip.slipPosition(a, b), slip.index < slip.length - 1
        else { return false }
        return !distinctNamesOneSlipApart.contains([a, b].sorted())
    }
}

/// The tokens of each distinct name of a resolution, by the name's number (`RecordTable.names`), and
/// the name rules on numbers: two records with the same number (most pairs that share a key) agree
/// without their names being read.
struct NameTable: Sendable {
    let keys: [NameKey]
    /// For the same-name near misses, each name's tokens joined (`NameKey.joined`) and its first token
    /// as numbers, and the full names its first token can stand for (`Nicknames`, sorted by text) as
    /// numbers among the first tokens: two names whose joined or first texts are equal get one number.
    let joinedNumber: [Int32]
    let firstNumber: [Int32]
    let fullNameNumbers: [[Int32]]

    init(_ names: [String]) {
        keys = names.map { NameKey($0) }
        var joined = RecordTable.Interner()
        var first = RecordTable.Interner()
        joinedNumber = keys.map { joined.number($0.joined) }
        firstNumber = keys.map { first.number($0.first) }
        fullNameNumbers = keys.map { key in
            guard let fullNames = Nicknames.fullNamesByForm[key.first] else { return [] }
            return fullNames.sorted().map { first.number($0) }
        }
    }

    subscript(name: Int32) -> NameKey { keys[Int(name)] }

    /// `NameCompatibility.familiesAgree` of two names by number.
    func familiesAgree(_ a: Int32, _ b: Int32) -> Bool {
        if a == b { return !keys[Int(a)].joined.isEmpty }
        return NameCompatibility.familiesAgree(keys[Int(a)], keys[Int(b)])
    }

    /// `NameCompatibility.givenAgreement` of two names by number.
    func givenAgreement(_ a: Int32, _ b: Int32) -> GivenNameAgreement? {
        if a == b { return keys[Int(a)].first.isEmpty ? nil : .same }
        return NameCompatibility.givenAgreement(keys[Int(a)], keys[Int(b)])
    }
}
