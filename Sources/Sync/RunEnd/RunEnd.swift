import Foundation
import Logging
import Reconcile

/// What happens at the end of every run, however it ended (also after an error, exit 2/4/5/6, or a
/// stop by SIGTERM): the summary line, then for `apply` the metrics file and the notification.
/// Nothing here changes the exit code: a metrics folder that is not writable, or a notify program that
/// fails, is logged and the run's own result stands.
public enum RunEnd {
    public static func finish(_ summary: RunSummary, config: Config?, logger: Logger) {
        logger.log(level: level(for: summary.exitCode), "\(summary.line)", metadata: metadata(summary))
        guard summary.command == "apply", let config else { return }
        if let path = config.metricsFile {
            do {
                try MetricsFile.write(summary, to: path)
                logger.debug("metrics written", metadata: ["file": .string(path)])
            } catch {
                logger.error("\(error)")
            }
        }
        if let path = config.notifyCommand, summary.needsTelling {
            switch NotifyCommand(path: path).run(RunNotice(summary)) {
            case .done:
                logger.info("notify_command told", metadata: ["command": .string(path)])
            case .failed(let reason):
                logger.error("notify_command failed: \(reason)", metadata: ["command": .string(path)])
            }
        }
    }

    /// A clean run at info, one that needs a look (failed writes, held, VLE owed) a warning, one that
    /// could not do its job an error.
    static func level(for exitCode: Int32) -> Logger.Level {
        switch ExitStatus(rawValue: exitCode) {
        case .success: .info
        case .writesFailed, .held, .vleOwed: .warning
        default: .error
        }
    }

    /// The line's figures as fields, for JSON logs.
    static func metadata(_ summary: RunSummary) -> Logger.Metadata {
        var fields: Logger.Metadata = [
            "event": .string(LogLine.runSummaryEvent), "command": .string(summary.command), "run": .string(summary.runID),
            "exit_code": .stringConvertible(Int(summary.exitCode)),
            "duration_seconds": .stringConvertible((summary.duration * 10).rounded() / 10),
            "unchanged": .stringConvertible(summary.unchanged), "held": .stringConvertible(summary.held.count),
            "failed": .stringConvertible(summary.failures.count),
        ]
        for action in ChangeAction.allCases { fields[action.rawValue] = .stringConvertible(summary.changes[action] ?? 0) }
        if summary.hasVLE { fields["vle_calls_owed"] = .stringConvertible(summary.vleCallsOwed) }
        return fields
    }
}
