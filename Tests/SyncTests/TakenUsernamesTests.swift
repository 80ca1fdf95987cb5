import Testing

@testable import Sync

/// The uids a read found, kept as bytes and made into lower-case names when asked.
struct TakenUsernamesTests {
    static func taken(_ uids: [String], given: Set<String> = []) -> TakenUsernames {
        var taken = TakenUsernames(given)
        for uid in uids {
            var uid = uid
            uid.withUTF8 { taken.insert(UnsafeRawBufferPointer($0)) }
        }
        return taken
    }

    @Test func theNamesAreTheUidsInLowerCaseAsTheSetOfOldWasMade() {
        let uids = ["Ann.Smith", "ann.smith", "ZOË.Ó", "tom.p1", "", String(repeating: "x", count: 300), "İstanbul"]
        let old = Set(uids.map { uid -> String in
            var uid = uid
            return uid.withUTF8 { FoundEntries.lowercased(UnsafeRawBufferPointer($0)) }
        })
        #expect(Self.taken(uids).set == old)
        #expect(Self.taken(uids).set.contains("zoë.ó") && Self.taken(uids).set.contains("ann.smith"))
        #expect(Self.taken(uids).set.count == uids.count - 1, "Ann.Smith and ann.smith are one name")
    }

    @Test func namesGivenAsTextAreKeptAsGivenBesideTheUidsRead() {
        var taken = Self.taken(["staff.one"], given: ["hand.made"])
        taken.formUnion(["other.base"])
        #expect(taken.set == ["staff.one", "hand.made", "other.base"])
        #expect(taken == Self.taken([], given: ["staff.one", "hand.made", "other.base"]), "equal by their names")
        #expect(TakenUsernames().set.isEmpty)
    }
}
