import Foundation
import Roster
import Testing

@testable import Sync
import TestRandom

/// `RunState`'s usernames read and written by hand beside Foundation's coders, against the coders alone
/// (the general form): the same state read, the same bytes written.
@Suite struct RunStateUsernamesTests {
    /// What `save` wrote before: the whole state through `JSONEncoder`.
    static func encodedByFoundation(_ state: RunState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(state)
    }

    static func state(usernames: [String], seed: UInt64) -> RunState {
        var generator = SeededGenerator(seed: seed)
        var state = RunState()
        state.issuedUsernames = Set(usernames)
        for school in 0..<Int.random(in: 0..<4, using: &generator) {
            state.lastGoodRecords["53010\(school)"] = Int.random(in: 0..<900, using: &generator)
            state.lastGoodColumns["exports/school-\(school).csv"] = ["contactid", "issued_usernames", "pupilid"]
        }
        if Bool.random(using: &generator) { state.activeRestrictions = ["S/P1 C1 until 2027-01-01"] }
        if Bool.random(using: &generator) {
            state.lastGoodLeavers = ["S/P1": LeaverNote(yearGroup: "Y6", leavingDate: CalendarDate(year: 2027, month: 7, day: 20), records: 2)]
        }
        return state
    }

    static let plain: [[String]] = [
        [], ["ann.smith"], ["ann.smith", "bob.jones2", "zoë.brown", "o'neil", "a b"],
        (0..<500).map { "user\($0)" },
    ]
    /// Usernames JSON escapes (or that are not ASCII printable): the coders write them whole.
    static let escaped: [[String]] = [["a/b", "c"], ["quote\"d"], ["back\\slash"], ["tab\there"], ["plain", "new\nline"]]

    @Test(arguments: plain + escaped)
    func theBytesWrittenAreTheEncoders(usernames: [String]) throws {
        for seed in 0..<6 {
            let state = Self.state(usernames: usernames, seed: UInt64(seed))
            #expect(try state.encoded() == Self.encodedByFoundation(state))
        }
    }

    @Test(arguments: plain + escaped)
    func whatIsReadIsWhatTheDecoderReads(usernames: [String]) throws {
        for seed in 0..<6 {
            let state = Self.state(usernames: usernames, seed: UInt64(seed))
            let data = try Self.encodedByFoundation(state)
            let read = try RunState.decode(data)
            #expect(read == (try JSONDecoder().decode(RunState.self, from: data)))
            #expect(read == state)
        }
    }

    /// Files not in the encoder's own form (compact, the key not at the top level, escapes, a broken array):
    /// read as the decoder reads them, or refused as it refuses them.
    @Test(arguments: [
        #"{"issued_usernames":["a","b"],"last_good_records":{"1":5}}"#,
        #"{"issued_usernames" : ["a" , "b"]}"#,
        "{\n  \"issued_usernames\" : [\n    \"a\\/b\",\n    \"c\"\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"\\u0061\"\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"a\",\n    \"a\"\n  ]\n}",
        "{\n  \"last_good_columns\" : {\n    \"x\" : [\n\n    ]\n  },\n  \"issued_usernames\" : [\n    \"a\"\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"a\",\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"a\"\n  ]\n",
        "{\n  \"issued_usernames\" : [\n    \"a\" \"b\"\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    5\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"a\"\n  ],\n  \"issued_usernames\" : [\n    \"b\"\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n\n  ]\n}",
        "{\n  \"issued_usernames\" : [\n    \"\u{7F}x\"\n  ]\n}",
    ])
    func anyOtherFormIsReadAsTheDecoderReadsIt(text: String) {
        expectReadAsTheDecoderReads(Data(text.utf8))
    }

    @Test func invalidUTF8InAUsernameIsRefusedAsTheDecoderRefusesIt() {
        var bytes = Array("{\n  \"issued_usernames\" : [\n    \"a".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"\n  ]\n}".utf8)
        expectReadAsTheDecoderReads(Data(bytes))
    }

    /// `RunState.decode` reads `data` as `JSONDecoder` does: the same state, or both refuse it.
    private func expectReadAsTheDecoderReads(_ data: Data) {
        let general = Result { try JSONDecoder().decode(RunState.self, from: data) }
        let fast = Result { try RunState.decode(data) }
        switch (general, fast) {
        case (.success(let expected), .success(let read)): #expect(read == expected)
        case (.failure, .failure): break
        default: Issue.record("decoder: \(general), by hand: \(fast)")
        }
    }
}
