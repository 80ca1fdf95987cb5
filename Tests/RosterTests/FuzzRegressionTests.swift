import Foundation
import Testing

/// Every input the fuzzers (Benchmarks/fuzz.sh) found to crash a reader, replayed through the
/// `roster-fuzz` replayer built beside the tests: each must now be read or refused, never crash.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    /// The kept inputs, by target (the folder names).
    static var inputs: [(target: String, file: String)] {
        let manager = FileManager.default
        let targets = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        return targets.sorted().flatMap { target in
            ((try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent(target).path)) ?? [])
                .filter { !$0.hasPrefix(".") }.sorted()
                .map { (target, folder.appendingPathComponent(target).appendingPathComponent($0).path) }
        }
    }

    static var replayer: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("roster-fuzz").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("roster-fuzz")
    }

    @Test func everyKeptCrashInputIsNowReadOrRefused() throws {
        for (target, file) in Self.inputs {
            let process = Process()
            process.executableURL = Self.replayer
            process.arguments = [file]
            process.environment = ["LDAP_SYNC_FUZZ_TARGET": target]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(target): \(file)")
        }
    }

    /// The replayer itself works: hostile bytes of every kind go through every target.
    @Test func replayerReadsHostileBytesThroughEveryTarget() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var bytes = Array("school_id,pupil_id,family_name\n5301234,P1,\"Re\u{0}ed\"\n".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x22, 0x0A, 0xC3]  // invalid UTF-8, NUL, an open quote
        bytes += Array(repeating: 0x41, count: 100_000)
        try Data(bytes).write(to: scratch)
        let process = Process()
        process.executableURL = Self.replayer
        process.arguments = ["--all", scratch.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
