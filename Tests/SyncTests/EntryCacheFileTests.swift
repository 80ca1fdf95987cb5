import Directory
import Foundation
import Testing

@testable import Sync
import TestRandom

/// The state folder's copy of the last read (`EntryCacheFile`): what is written is read back in order, and
/// a file written for another read, cut short or changed is never taken for the directory.
@Suite struct EntryCacheFileTests {
    static let key = Array("ou=Parents,dc=example,dc=org\n2\n(uid=*)\nuid,cn\ncn=ldap-sync".utf8)

    /// `count` entries, every hundredth with a value of 300 KB (records longer than the reader's first
    /// buffer), binary values and NULs included.
    static func entries(_ count: Int) -> [(dn: String, version: [UInt8], entry: Entry)] {
        (0..<count).map { index in
            let big = index % 100 == 7 ? [Attribute("jpegPhoto", values: [Array(repeating: UInt8(index % 251), count: 300_000)])] : []
            let entry = Entry(dn: "uid=parent\(index),ou=Parents,dc=example,dc=org", attributes: [
                Attribute("uid", ["parent\(index)"]), Attribute("cn", ["Zoë \(index)\u{0}"]), Attribute("empty", values: []),
            ] + big)
            let version = Array("20261130101010.\(String(format: "%06d", index))Z#000000#000#000000".utf8) + (index % 3 == 0 ? [0] + Array("000001010000Z".utf8) : [])
            return (entry.dn, version, entry)
        }
    }

    static func write(_ entries: [(dn: String, version: [UInt8], entry: Entry)], to path: String, key: [UInt8] = key) throws {
        let writer = try EntryCacheWriter(path: path, key: key)
        for item in entries { writer.append(dn: item.dn, version: item.version, attributes: item.entry.encodedAttributes) }
        try writer.finish()
    }

    static func readAll(_ reader: EntryCacheReader) -> [(dn: String, version: [UInt8], entry: Entry)] {
        var read: [(dn: String, version: [UInt8], entry: Entry)] = []
        while let record = reader.next() {
            let dn = String(decoding: record.dn, as: UTF8.self)
            read.append((dn, Array(record.version), Entry(dn: dn, encodedAttributes: Array(record.attributes))))
        }
        return read
    }

    @Test func whatIsWrittenIsReadBackInOrder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("state/directory-cache")
        let written = Self.entries(1_500)
        try Self.write(written, to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "it holds the parents' names and addresses")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("state")) == ["directory-cache"], "no temporary left")

        let reader = try #require(EntryCacheReader(path: path, key: Self.key))
        #expect(reader.count == 1_500)
        let read = Self.readAll(reader)
        #expect(reader.isIntact)
        #expect(read.count == written.count)
        for (a, b) in zip(read, written) {
            #expect(a.dn == b.dn && a.version == b.version && a.entry == b.entry)
        }
        for item in written.prefix(50) { #expect(reader.contains(dnHash: EntryCacheHash.of(item.dn))) }
        #expect(!reader.contains(dnHash: EntryCacheHash.of("uid=nobody,ou=Parents,dc=example,dc=org")))
    }

    @Test func anEmptyReadIsACacheOfNoEntries() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("directory-cache")
        try Self.write([], to: path)
        let reader = try #require(EntryCacheReader(path: path, key: Self.key))
        #expect(reader.next() == nil)
        #expect(reader.isIntact)
    }

    @Test func aFileForAnotherReadOrNoFileIsNoCache() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("directory-cache")
        #expect(EntryCacheReader(path: path, key: Self.key) == nil)
        try Self.write(Self.entries(10), to: path)
        #expect(EntryCacheReader(path: path, key: Array("ou=Other".utf8)) == nil)
        #expect(EntryCacheReader(path: path, key: Self.key) != nil)
    }

    /// Cut anywhere, or with any one byte of its records changed, the file is refused: at opening (the
    /// footer) or once read (the checksum).
    @Test func aFileCutShortOrChangedIsRefused() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("directory-cache")
        try Self.write(Self.entries(300), to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [1, 8, 33, whole.count / 2, whole.count - 40] {
            try whole.prefix(whole.count - cut).write(to: URL(fileURLWithPath: path))
            if let reader = EntryCacheReader(path: path, key: Self.key) {
                reader.readToEnd()
                #expect(!reader.isIntact, "cut by \(cut)")
            }
        }
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<40 {
            var damaged = whole
            let position = generator.next(whole.count - 8 * 300 - 32)
            damaged[position] ^= UInt8(1 + generator.next(255))
            try damaged.write(to: URL(fileURLWithPath: path))
            guard let reader = EntryCacheReader(path: path, key: Self.key) else { continue }
            reader.readToEnd()
            #expect(!reader.isIntact, "byte \(position) changed")
        }
    }

    @Test func aWriterGivenUpLeavesTheOldFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("directory-cache")
        try Self.write(Self.entries(5), to: path)
        let writer = try EntryCacheWriter(path: path, key: Self.key)
        writer.append(dn: "uid=new", version: Array("1".utf8), attributes: [])
        writer.discard()
        let reader = try #require(EntryCacheReader(path: path, key: Self.key))
        #expect(Self.readAll(reader).map(\.dn) == Self.entries(5).map(\.dn))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["directory-cache"])
    }

    /// A run killed while writing leaves its temporary file; the next writer uses the same name, so none is
    /// left beside the cache for good.
    @Test func aTemporaryLeftByAKilledRunIsWrittenOver() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Data(repeating: 0xAB, count: 4096).write(to: URL(fileURLWithPath: folder.file(".directory-cache.tmp")))
        try Self.write(Self.entries(3), to: folder.file("directory-cache"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["directory-cache"])
        let reader = try #require(EntryCacheReader(path: folder.file("directory-cache"), key: Self.key))
        #expect(Self.readAll(reader).count == 3)
        #expect(reader.isIntact)
    }

    @Test func anEntrysVersionIsItsCSNAndItsLock() {
        let csn = "20261130101010.123456Z#000000#000#000000"
        let locked = Entry(dn: "uid=a", attributes: [
            Attribute("uid", ["a"]), Attribute("pwdAccountLockedTime", ["000001010000Z"]), Attribute("entryCSN", [csn]),
        ])
        #expect(EntryVersion.of(locked) == Array(csn.utf8) + [0] + Array("000001010000Z".utf8))
        #expect(EntryVersion.csn(EntryVersion.of(locked)!) == csn)
        #expect(EntryVersion.withoutCSN(locked).attributes == [Attribute("uid", ["a"]), Attribute("pwdAccountLockedTime", ["000001010000Z"])])
        let open = Entry(dn: "uid=a", attributes: [Attribute("ENTRYCSN", [csn]), Attribute("uid", ["a"])])
        #expect(EntryVersion.of(open) == Array(csn.utf8))
        #expect(EntryVersion.of(Entry(dn: "uid=a", attributes: [Attribute("uid", ["a"])])) == nil, "no entryCSN: not OpenLDAP")
    }
}
