import Foundation
import Testing

@testable import Sync

/// `FreedElsewhere` lets a value go on another task: the value must be freed there, not kept.
@Suite struct FreedElsewhereTests {
    /// Tells when it is freed.
    final class Canary: @unchecked Sendable {
        let freed: Flag
        init(_ freed: Flag) { self.freed = freed }
        deinit { freed.set() }
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static func waitFor(_ flag: Flag) async -> Bool {
        for _ in 0..<500 where !flag.isSet { try? await Task.sleep(for: .milliseconds(10)) }
        return flag.isSet
    }

    @Test func aValueHandedOverIsFreed() async {
        let flag = Flag()
        FreedElsewhere.free([Canary(flag)])
        #expect(await Self.waitFor(flag))
    }
}
