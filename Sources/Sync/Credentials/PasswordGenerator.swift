import Foundation

/// First passwords for new accounts: random, and easy to copy from a printed letter.
///
/// Twelve characters in three groups of four (`k7mr-tn4x-h9wd`), lower case and digits only (nothing to
/// mistype with the shift key on a phone), and of each pair that looks alike on paper at most one:
/// 0/o, 1/l/i, 2/z, 5/s, 6/8/b, u/v, 9/g/q. 22 symbols, so 12 × log2(22) ≈ 53.5 bits, above the 50 the
/// sync issue asks for. The random source is the system's cryptographic one (getrandom on Linux) unless
/// a test hands in another.
public struct PasswordGenerator: Sendable {
    /// The symbols a password is drawn from.
    public static let symbols: [Character] = Array("acdefhjkmnprstwxyz3479")
    public static let groups = 3
    public static let groupLength = 4

    /// Bits of entropy in one password.
    public static var entropyBits: Double { Double(groups * groupLength) * log2(Double(symbols.count)) }

    public init() {}

    /// A new password drawn with `generator`.
    public func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        (0..<Self.groups).map { _ in
            String((0..<Self.groupLength).map { _ in Self.symbols.randomElement(using: &generator)! })
        }.joined(separator: "-")
    }

    /// A new password from the system's cryptographic random source.
    public func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }
}
