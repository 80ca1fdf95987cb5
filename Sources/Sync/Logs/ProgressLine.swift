import Foundation

/// The parts of a run that take long enough to watch.
public enum RunPhase: String, Sendable, CaseIterable {
    case sources = "reading sources"
    case directory = "reading the directory"
    case apply = "applying"

    /// What is counted.
    var unit: String {
        switch self {
        case .sources: "files"
        case .directory: "entries"
        case .apply: "changes"
        }
    }
}

/// Told how far a run has got. The run calls it; what it shows (or not) is up to the implementation.
public protocol RunProgress: Sendable {
    /// `done` of `total` in `phase`; nil when the total is not known, or was told in an earlier update.
    func update(_ phase: RunPhase, done: Int, total: Int?)
    /// The phase is over.
    func end(_ phase: RunPhase)
}

/// A progress line on an interactive terminal: redrawn in place with `\r`, at most ten times a second,
/// left on screen when its phase ends. The command line makes one only when stderr is a terminal, so
/// nothing of it reaches a log file, a pipe or the journal.
public final class ProgressLine: RunProgress, @unchecked Sendable {
    private let stream: StandardErrorStream
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var started: [RunPhase: Date] = [:]
    /// A total told once stays for the later updates of its phase, which may not repeat it.
    private var totals: [RunPhase: Int] = [:]
    private var lastDrawn: Date?
    private var last: (phase: RunPhase, done: Int, total: Int?)?

    public init(stream: StandardErrorStream, clock: @escaping @Sendable () -> Date = Date.init) {
        self.stream = stream
        self.clock = clock
    }

    public func update(_ phase: RunPhase, done: Int, total: Int?) {
        lock.lock()
        defer { lock.unlock() }
        let total = total ?? totals[phase]
        totals[phase] = total
        let now = clock()
        let start = started[phase] ?? now
        started[phase] = start
        last = (phase, done, total)
        if let lastDrawn, now.timeIntervalSince(lastDrawn) < 0.1, done != total { return }
        lastDrawn = now
        stream.drawProgress(Self.text(phase, done: done, total: total, elapsed: now.timeIntervalSince(start)))
    }

    public func end(_ phase: RunPhase) {
        lock.lock()
        defer { lock.unlock() }
        // The final count, even when the last update fell inside the redraw interval.
        if let last, last.phase == phase, let start = started[phase] {
            stream.drawProgress(Self.text(phase, done: last.done, total: last.total, elapsed: clock().timeIntervalSince(start)))
        }
        stream.endProgress()
        lastDrawn = nil
        last = nil
    }

    /// `applying: 1,200/5,000 changes (24%), 300/s, about 13 s left`. Pure: the tests give the numbers.
    /// The rate and the time left appear once there is something to measure them by.
    public static func text(_ phase: RunPhase, done: Int, total: Int?, elapsed: TimeInterval) -> String {
        var line = "\(phase.rawValue): \(grouped(done))"
        if let total {
            line += "/\(grouped(total)) \(phase.unit)"
            if total > 0 { line += " (\(min(100, done * 100 / total))%)" }
        } else {
            line += " \(phase.unit)"
        }
        guard elapsed >= 0.2, done > 0 else { return line }
        let rate = Double(done) / elapsed
        line += ", \(rate >= 10 ? grouped(Int(rate.rounded())) : String(format: "%.1f", rate))/s"
        if let total, total > done {
            line += ", about \(duration(Double(total - done) / rate)) left"
        }
        return line
    }

    /// `12 s`, `4 min`, `1 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(max(1, whole)) s" }
        if whole < 3600 { return "\((whole + 30) / 60) min" }
        let minutes = (whole + 30) / 60
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// `12,345`: thousands grouped, whatever the locale (a log is read by people anywhere).
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}
