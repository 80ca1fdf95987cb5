@testable import Reconcile
import Testing

/// Dedupe warnings are put in their canonical order by sorting positions on keys taken once. On random
/// warnings — ties on every key, warnings differing only past the first record, no school, no record,
/// schools and messages with "é" composed and decomposed (equal to `<`, different bytes) — the order
/// must be the one sorting the warnings themselves gives, ties included.
@Suite struct WarningOrderTests {
    /// `canonicallyOrdered` as first written, sorting the warnings themselves.
    static func orderedByElement(_ warnings: [DedupeWarning]) -> [DedupeWarning] {
        warnings.sorted {
            ($0.school ?? "", $0.code.rawValue, $0.records.first ?? "", $0.message)
                < ($1.school ?? "", $1.code.rawValue, $1.records.first ?? "", $1.message)
        }
    }

    @Test func positionsSortedOnKeysGiveTheOrderOfSortingTheWarnings() {
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let schools: [String?] = [nil, "5301000", "5301001", "\u{E9}cole", "e\u{301}cole", ""]
        let records = ["5301000/C1", "5301000/C2", "5301001/C1", "e\u{301}cole/C1", "\u{E9}cole/C1"]
        let messages = ["Ann Smith shares an e-mail", "Ann Smith shares an e-mail", "B", "Zoë", "Zoe\u{308}", ""]
        for round in 0..<300 {
            let warnings = (0..<next(60)).map { _ in
                DedupeWarning(
                    code: DedupeWarningCode.allCases[next(DedupeWarningCode.allCases.count)],
                    message: messages[next(messages.count)], school: schools[next(schools.count)],
                    records: (0..<next(3)).map { _ in records[next(records.count)] })
            }
            let fast = DedupeWarning.canonicallyOrdered(warnings)
            let general = Self.orderedByElement(warnings)
            #expect(fast == general, "round \(round)")
            // Byte for byte, not only as `==` compares strings.
            #expect(fast.map { Array($0.message.utf8) + Array(($0.school ?? "-").utf8) }
                == general.map { Array($0.message.utf8) + Array(($0.school ?? "-").utf8) }, "round \(round)")
        }
    }
}
