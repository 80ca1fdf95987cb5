import Foundation
import Testing

@testable import Sync

@Suite struct ProgressLineTests {
    @Test func knownTotalShowsCountPercentRateAndTimeLeft() {
        #expect(ProgressLine.text(.apply, done: 1_200, total: 5_000, elapsed: 4)
            == "applying: 1,200/5,000 changes (24%), 300/s, about 13 s left")
    }

    @Test func unknownTotalShowsCountAndRateOnly() {
        #expect(ProgressLine.text(.directory, done: 12_345, total: nil, elapsed: 2.5)
            == "reading the directory: 12,345 entries, 4,938/s")
    }

    @Test func noRateBeforeThereIsAnythingToMeasure() {
        #expect(ProgressLine.text(.sources, done: 0, total: 3, elapsed: 0) == "reading sources: 0/3 files (0%)")
        #expect(ProgressLine.text(.sources, done: 1, total: 3, elapsed: 0.1) == "reading sources: 1/3 files (33%)")
    }

    @Test func slowRatesKeepADecimalAndLongWaitsReadAsMinutesAndHours() {
        #expect(ProgressLine.text(.sources, done: 1, total: 4, elapsed: 2) == "reading sources: 1/4 files (25%), 0.5/s, about 6 s left")
        #expect(ProgressLine.duration(150) == "3 min")
        #expect(ProgressLine.duration(3_900) == "1 h 5 min")
        #expect(ProgressLine.duration(0.2) == "1 s")
    }

    @Test func finishedPhaseHasNoTimeLeft() {
        #expect(ProgressLine.text(.apply, done: 10, total: 10, elapsed: 1) == "applying: 10/10 changes (100%), 10/s")
    }

    @Test func numbersAreGroupedByThousands() {
        #expect(ProgressLine.grouped(0) == "0")
        #expect(ProgressLine.grouped(999) == "999")
        #expect(ProgressLine.grouped(1_000) == "1,000")
        #expect(ProgressLine.grouped(1_234_567) == "1,234,567")
    }

    /// Redrawn in place on one line, cleared before a log line, and ended with a newline.
    @Test func lineIsRedrawnWithCarriageReturnAndClearedForLogLines() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let stream = StandardErrorStream(descriptor: fds[1])
        #expect(!stream.isTerminal, "a pipe is not a terminal")
        let progress = ProgressLine(stream: stream)
        progress.update(.sources, done: 1, total: 2)
        stream.writeLines("a log line\n")
        progress.end(.sources)
        close(fds[1])
        let text = String(decoding: FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
        #expect(text.hasPrefix("\rreading sources: 1/2 files (50%)\u{1B}[K\r\u{1B}[Ka log line\n"))
        #expect(text.hasSuffix("\u{1B}[K\n"))
    }
}
