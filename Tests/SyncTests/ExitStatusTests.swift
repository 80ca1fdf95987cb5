import Testing

@testable import Sync

@Suite struct ExitStatusTests {
    @Test func theFirstInPartBOrderWins() {
        #expect(ExitStatus.combined([.held, .writesFailed]) == .writesFailed)
        #expect(ExitStatus.combined([.vleOwed, .held, .success]) == .held)
        #expect(ExitStatus.combined([.writesFailed, .inputError, .directoryUnavailable]) == .inputError)
        #expect(ExitStatus.combined([.stalePlan, .locked]) == .locked)
        #expect(ExitStatus.combined([]) == .success)
    }

    @Test func usageErrorsExitTwoNotArgumentParsersSixtyFour() throws {
        let unknownOption = try CommandLineRunner.run(["--no-such-option"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.standardError.contains("--no-such-option"))
        let badValue = try CommandLineRunner.run(["schema", "--format", "yaml"])
        #expect(badValue.status == 2)
        #expect(badValue.standardError.contains("yaml"))
    }

    @Test func helpExitsZero() throws {
        let help = try CommandLineRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("schema"))
    }
}
