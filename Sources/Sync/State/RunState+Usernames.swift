import Foundation

/// `issuedUsernames` read and written beside `JSONDecoder` and `JSONEncoder`.
///
/// At a local authority's size the state holds every username ever issued (100,000 and more), which is
/// nearly all of `state.json`; through Foundation's coders they cost some 0.2 s to load at the start of a
/// run and 0.15 s to save at its end, on the run's critical path both times. The array is cut out of the
/// bytes and read by hand (the rest of the file still goes through `JSONDecoder`), and written by hand into
/// what `JSONEncoder` wrote for the rest. Only the plain form is taken this way: the array where
/// `JSONEncoder` puts it (a top-level key of its pretty-printed output), each username without anything
/// JSON would escape. Anything else, in either direction, goes through the coders whole, as before.
extension RunState {
    /// The pretty-printed array's opening, as `JSONEncoder` writes it for a top-level key.
    private static let usernamesKey = Array("\n  \"issued_usernames\" : [".utf8)
    /// The empty array `JSONEncoder` writes for that key (a blank line between the brackets).
    private static let emptyUsernames = Array("\n  \"issued_usernames\" : [\n\n  ]".utf8)

    /// `JSONDecoder().decode(RunState.self, from: data)`, with the usernames read by hand when they are in
    /// the plain form (see above).
    static func decode(_ data: Data) throws -> RunState {
        let bytes = [UInt8](data)
        guard let (range, usernames) = plainUsernames(in: bytes) else {
            return try JSONDecoder().decode(RunState.self, from: data)
        }
        var rest = Array(bytes[..<range.lowerBound])
        rest += Array("[]".utf8)
        rest += bytes[range.upperBound...]
        var state = try JSONDecoder().decode(RunState.self, from: Data(rest))
        state.issuedUsernames = usernames
        return state
    }

    /// `JSONEncoder`'s pretty-printed, key-sorted form of the state, with the usernames written by hand
    /// when each is plain (see above): the same bytes, the usernames in the set's own order as the encoder
    /// takes them.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard !issuedUsernames.isEmpty, issuedUsernames.allSatisfy(Self.isPlain) else { return try encoder.encode(self) }
        var rest = self
        rest.issuedUsernames = []
        let encoded = [UInt8](try encoder.encode(rest))
        guard let at = Self.firstRange(of: Self.emptyUsernames, in: encoded) else { return try encoder.encode(self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count + issuedUsernames.reduce(0) { $0 + $1.utf8.count + 8 })
        bytes += encoded[..<at.lowerBound]
        bytes += Self.usernamesKey
        var first = true
        for username in issuedUsernames {
            bytes += first ? Array("\n    \"".utf8) : Array(",\n    \"".utf8)
            first = false
            bytes += username.utf8
            bytes.append(UInt8(ascii: "\""))
        }
        bytes += Array("\n  ]".utf8)
        bytes += encoded[at.upperBound...]
        return Data(bytes)
    }

    /// A username `JSONEncoder` writes as it is: printable ASCII without a quote, a backslash or a slash
    /// (which it escapes).
    static func isPlain(_ username: String) -> Bool {
        username.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "/") }
    }

    /// The usernames' array (from its `[` to its `]`) and its values, when it is a top-level key in the
    /// pretty-printed form and every value is a plain string (no escape, valid UTF-8); nil otherwise.
    static func plainUsernames(in bytes: [UInt8]) -> (Range<Int>, Set<String>)? {
        guard let key = firstRange(of: usernamesKey, in: bytes), key.lowerBound > 0,
            bytes[key.lowerBound - 1] == UInt8(ascii: "{") || bytes[key.lowerBound - 1] == UInt8(ascii: ",")
        else { return nil }
        // A second such key would be JSONDecoder's to judge.
        guard firstRange(of: usernamesKey, in: bytes, from: key.upperBound) == nil else { return nil }
        let open = key.upperBound - 1
        var position = key.upperBound
        // About one username in every 20 bytes of the file (a username and its line), so that the set
        // is seldom grown and rehashed.
        var usernames = Set<String>(minimumCapacity: bytes.count / 20)
        func skipSpace() {
            while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        }
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { return (open..<position + 1, []) }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                // An escape or a control character: JSONDecoder's to read (or refuse).
                guard bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 else { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            // ASCII (nearly every username) decodes as it is; anything else must be valid UTF-8.
            let value = bytes[start..<end]
            guard let username = value.allSatisfy({ $0 < 0x80 })
                ? String(decoding: value, as: UTF8.self) : String(validating: value, as: UTF8.self)
            else { return nil }
            usernames.insert(username)
            position = end + 1
            skipSpace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "]") { return (open..<position + 1, usernames) }
            guard bytes[position] == UInt8(ascii: ",") else { return nil }
            position += 1
            skipSpace()
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    private static func firstRange(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Range<Int>? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) {
                return index..<index + needle.count
            }
            index += 1
        }
        return nil
    }
}
