import CCrypt
import Crypto
import Foundation

/// Hashes a first password on our side (`accounts.password_hash: ssha | crypt-sha512`), so that the
/// password travels inside the add and a new account costs one write instead of add + Password Modify.
/// Both schemes are ones slapd verifies without any module: `{SSHA}` and `{CRYPT}` (the system's crypt).
/// The value is a hash, never the password; it still goes nowhere but the write itself.
public struct PasswordHasher: Sendable {
    public enum Scheme: Sendable, Equatable {
        /// `{SSHA}`: salted SHA-1, slapd's own default. Fast, and weak against an offline attacker.
        case ssha
        /// `{CRYPT}$6$…`: SHA-512 crypt with 5000 rounds (glibc's default), through libxcrypt's `crypt_r`.
        case cryptSHA512
    }

    public var scheme: Scheme

    public init(_ scheme: Scheme) {
        self.scheme = scheme
    }

    /// The `userPassword` value for `password`, salted with fresh random bytes.
    public func hash(_ password: String) throws(PasswordHashError) -> String {
        var random = SystemRandomNumberGenerator()
        switch scheme {
        case .ssha:
            let salt = (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }
            var hasher = Insecure.SHA1()
            hasher.update(data: Array(password.utf8))
            hasher.update(data: salt)
            return "{SSHA}" + Data(Array(hasher.finalize()) + salt).base64EncodedString()
        case .cryptSHA512:
            let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
            let salt = String((0..<16).map { _ in alphabet.randomElement(using: &random)! })
            return "{CRYPT}" + (try Self.crypt(password, setting: "$6$" + salt))
        }
    }

    /// Hashes many passwords on every core: SHA-512 crypt is deliberately slow (a few milliseconds each),
    /// which a first run creating thousands of accounts would otherwise wait for on one core.
    public func hashAll(_ passwords: [String]) throws(PasswordHashError) -> [String] {
        let results = UnsafeMutableBufferPointer<Result<String, PasswordHashError>?>.allocate(capacity: passwords.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: passwords.count) { index in
            slots[index] = Result { () throws(PasswordHashError) in try hash(passwords[index]) }
        }
        return try results.map { result throws(PasswordHashError) in try result!.get() }
    }

    /// `crypt_r(3)`: the hash for `setting` (`$6$salt`), or the error libxcrypt gives (it answers `*0`
    /// or `*1` for a method it does not know).
    static func crypt(_ password: String, setting: String) throws(PasswordHashError) -> String {
        // crypt_data is about 32 KiB: on the heap, zeroed as crypt_r wants it, not on a worker's stack.
        guard let memory = calloc(1, MemoryLayout<crypt_data>.size) else { throw .unsupported(setting: setting) }
        defer { free(memory) }
        let data = memory.assumingMemoryBound(to: crypt_data.self)
        guard let output = crypt_r(password, setting, data) else { throw .unsupported(setting: setting) }
        let text = String(cString: output)
        guard !text.hasPrefix("*") else { throw .unsupported(setting: setting) }
        return text
    }
}

/// The system's crypt could not hash with the scheme asked for.
public enum PasswordHashError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    case unsupported(setting: String)

    /// A setting this system cannot honour: nothing was written.
    public var exitStatus: ExitStatus { .inputError }

    public var description: String {
        switch self {
        case .unsupported(let setting):
            "the system's crypt(3) cannot hash with \(setting.prefix(3)): install libcrypt (libxcrypt) with SHA-512 support, or set accounts.password_hash: server"
        }
    }
}
