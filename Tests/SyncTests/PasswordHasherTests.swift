import Crypto
import Foundation
import Testing

@testable import Sync

/// The hashes we send are ones slapd verifies: checked here against the published SHA-512 crypt vector
/// and by recomputing SSHA; the binds in FirstLoginTests check them against slapd itself.
@Suite struct PasswordHasherTests {
    @Test func sha512CryptMatchesThePublishedTestVector() throws {
        // Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", test vector 1.
        #expect(try PasswordHasher.crypt("Hello world!", setting: "$6$saltstring")
            == "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")
    }

    @Test func cryptHashesAreSaltedAndVerifyAgainstThemselves() throws {
        let hasher = PasswordHasher(.cryptSHA512)
        let hashes = try hasher.hashAll(Array(repeating: "k7mr-tn4x-h9wd", count: 40))
        #expect(Set(hashes).count == 40, "a fresh salt each")
        for hash in hashes {
            #expect(hash.hasPrefix("{CRYPT}$6$"))
            let crypt = String(hash.dropFirst("{CRYPT}".count))
            #expect(try PasswordHasher.crypt("k7mr-tn4x-h9wd", setting: crypt) == crypt)
            #expect(try PasswordHasher.crypt("k7mr-tn4x-h9wx", setting: crypt) != crypt)
        }
    }

    @Test func sshaIsSHA1OfPasswordAndSaltFollowedByTheSalt() throws {
        let hash = try PasswordHasher(.ssha).hash("k7mr-tn4x-h9wd")
        #expect(hash.hasPrefix("{SSHA}"))
        let bytes = try #require(Data(base64Encoded: String(hash.dropFirst("{SSHA}".count))))
        #expect(bytes.count == 28)
        let salt = bytes.suffix(8)
        #expect(Data(Insecure.SHA1.hash(data: Data("k7mr-tn4x-h9wd".utf8) + salt)) == bytes.prefix(20))
    }
}
