import Directory
import Reconcile

/// How a first (or reissued) password reaches the directory, from `accounts.password_hash` and
/// `accounts.change_at_first_login`.
///
/// - `server`: the Password Modify exop, so slapd hashes with its own `password-hash` and policy.
/// - `ssha` / `crypt-sha512`: we hash, and the hash travels in the add itself (one write per new account).
///
/// `pwdReset` is always written explicitly, never left to the policy's `pwdMustChange`: a directory whose
/// policy lacks it would otherwise hand out first passwords that are never changed, and one that has it
/// would force a change the school turned off.
public struct FirstPasswordWrites: Sendable {
    public var hasher: PasswordHasher?
    public var changeAtFirstLogin: Bool

    public static let pwdReset = "pwdReset"
    public static let userPassword = "userPassword"

    public init(_ accounts: AccountsConfig) {
        switch accounts.passwordHash {
        case .server: hasher = nil
        case .ssha: hasher = PasswordHasher(.ssha)
        case .cryptSHA512: hasher = PasswordHasher(.cryptSHA512)
        }
        changeAtFirstLogin = accounts.changeAtFirstLogin
    }

    /// Hashes a throwaway value, so that a system crypt without SHA-512 stops the command before any write
    /// rather than after its revocations.
    public func check() throws(PasswordHashError) {
        _ = try hasher?.hash("probe")
    }

    /// The hashes of `secrets` when we hash, else nil (the server will).
    func hashes(_ secrets: [String]) throws -> [String]? {
        try hasher?.hashAll(secrets)
    }

    /// The attributes a new account's add carries besides the planned ones: the hashed password and
    /// `pwdReset`, when we hash. With `server` the add carries none: the password follows by exop.
    func addAttributes(hash: String?) -> [Attribute] {
        guard let hash else { return [] }
        var attributes = [Attribute(Self.userPassword, [hash])]
        if changeAtFirstLogin { attributes.append(Attribute(Self.pwdReset, ["TRUE"])) }
        return attributes
    }

    /// Appends the writes that set `secret` (hashed as `hash`, when we hash) on the entry `dn`, each after
    /// the ones before; returns their indices, all of which must succeed.
    ///
    /// - Parameters:
    ///   - created: the entry is being added in the same batch with `addAttributes(hash:)` already.
    ///   - keepLocked: the entry holds the disable lock and must keep it (a `pending` account). slapd's
    ///     ppolicy removes `pwdAccountLockedTime` whenever a password is set, so the lock is written again
    ///     after the password — else a reissued letter would open an account nobody handed over.
    func append(
        secret: String, hash: String?, dn: String, created: Bool, keepLocked: Bool, to batch: inout WriteBatch, after: [Int]
    ) -> [Int] {
        // Replace with no value removes pwdReset if present, and is no error if it is not.
        let reset = Modification(.replace, Self.pwdReset, changeAtFirstLogin ? ["TRUE"] : [])
        var writes: [Int]
        if let hash {
            // In an add, the lock and the password arrive together and the lock stays.
            if created { return [] }
            let modify = ModifyRequest(dn: dn, modifications: [Modification(.replace, Self.userPassword, [hash]), reset])
            writes = [batch.append(.modify(modify), after: after)]
        } else {
            let exop = batch.append(.passwordModify(PasswordModifyRequest(userDN: dn, newPassword: Secret(secret))), after: after)
            // After the exop: slapd may itself have set (pwdMustChange) or cleared pwdReset on the reset.
            writes = [exop, batch.append(.modify(ModifyRequest(dn: dn, modifications: [reset])), after: [exop])]
        }
        if keepLocked {
            let lock = Modification(.replace, ParentAttribute.pwdAccountLockedTime, [ParentAttribute.permanentLock])
            writes.append(batch.append(.modify(ModifyRequest(dn: dn, modifications: [lock])), after: writes))
        }
        return writes
    }
}
