import ArgumentParser

/// Options every command takes (DESIGN.md Part B): logs and progress go to stderr.
struct GlobalOptions: ParsableArguments {
    enum LogLevel: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, warning, error
    }
    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "How much to log to stderr.")
    var logLevel: LogLevel = .info

    @Option(help: "Log lines as readable text or as JSON lines.")
    var logFormat: LogFormat = .text
}
