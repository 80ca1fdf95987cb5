import Varint

/// Every `uid` a read found, kept as the bytes it came in and made into a set of lower-case names only
/// when asked: a run asks only when someone needs a new username (or a plan is saved), while every run
/// reads the uids of every entry in the scope, parents, pupils and staff (215,000 at a local authority,
/// where hashing them into a set as they arrived was a tenth of a second of the read).
struct TakenUsernames: Sendable, Equatable {
    /// Each uid as a varint length and its bytes, in the order read.
    private var bytes: [UInt8] = []
    /// Names given as text (read apart, already lower case), kept as given.
    private var names: Set<String> = []

    init() {}

    init(_ names: Set<String>) {
        self.names = names
    }

    mutating func insert(_ uid: UnsafeRawBufferPointer) {
        Varint.append(uid.count, to: &bytes)
        bytes.append(contentsOf: uid)
    }

    mutating func formUnion(_ other: Set<String>) {
        names.formUnion(other)
    }

    /// The names: those given, and the uids read in lower case (as `FoundEntries.lowercased` makes them).
    var set: Set<String> {
        var result = names
        bytes.withUnsafeBytes { raw in
            var position = 0
            while position < raw.count {
                let count = Varint.read(raw, at: &position)
                result.insert(FoundEntries.lowercased(UnsafeRawBufferPointer(rebasing: raw[position..<position + count])))
                position += count
            }
        }
        return result
    }

    /// Equal when they hold the same names, however they were read.
    static func == (a: TakenUsernames, b: TakenUsernames) -> Bool { a.set == b.set }
}
