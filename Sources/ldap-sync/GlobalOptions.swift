import ArgumentParser
import Logging
import Sync

/// Options every command takes (DESIGN.md Part B): logs and progress go to stderr.
struct GlobalOptions: ParsableArguments {
    enum LogLevel: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, warning, error

        var level: Logger.Level {
            switch self {
            case .trace: .trace
            case .debug: .debug
            case .info: .info
            case .warning: .warning
            case .error: .error
            }
        }
    }
    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "How much to log to stderr.")
    var logLevel: LogLevel = .info

    @Option(help: "Log lines as readable text or as JSON lines.")
    var logFormat: LogFormat = .text

    /// Sends every log line of this process to stderr as these options say. Called once, first thing
    /// in a command's `run()`.
    func startLogging() {
        let format: Sync.LogFormat = logFormat == .json ? .json : .text
        let level = logLevel.level
        LoggingSystem.bootstrap { _ in StandardErrorLogHandler(format: format, level: level) }
    }

    /// The progress line for a person watching: only on an interactive stderr, and not in JSON mode
    /// (a collector wants lines, not redraws).
    var progress: ProgressLine? {
        guard logFormat == .text, StandardErrorStream.shared.isTerminal else { return nil }
        return ProgressLine(stream: .shared)
    }
}
