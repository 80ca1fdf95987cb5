import Foundation
import Prometheus
import Reconcile

/// `metrics_file`: the run's figures in Prometheus text format, for node_exporter's textfile collector
/// (DESIGN.md Part B, "Metrics"). Written after every apply, a failed one too, so monitoring sees the
/// exit code of the last run and how long ago the last good one was.
public enum MetricsFile {
    /// The exposition text. `lastSuccess` is the time of the last run that exited 0 (this one, or one
    /// before); without one the series is left out, so `absent()` tells "never succeeded".
    public static func render(_ summary: RunSummary, lastSuccess: Date?) -> String {
        let registry = PrometheusCollectorRegistry()
        for action in ChangeAction.allCases {
            registry.gauge(
                name: "ldap_sync_changes", labels: [("action", action.rawValue)],
                help: "Changes written by the last run, by action."
            ).set(Double(summary.changes[action] ?? 0))
        }
        for (gate, count) in summary.heldPerGate.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            registry.gauge(
                name: "ldap_sync_held", labels: [("gate", gate.rawValue)],
                help: "Changes held by a safety gate in the last run, by gate."
            ).set(Double(count))
        }
        registry.gauge(name: "ldap_sync_write_failures", help: "Writes that failed in the last run.")
            .set(Double(summary.failures.count))
        registry.gauge(name: "ldap_sync_duration_seconds", help: "How long the last run took.")
            .set(summary.duration)
        if let lastSuccess {
            registry.gauge(
                name: "ldap_sync_last_success_timestamp_seconds",
                help: "When the last run that exited 0 ended (Unix time)."
            ).set(lastSuccess.timeIntervalSince1970.rounded())
        }
        for (school, records) in summary.sourceRecords.sorted(by: { $0.key < $1.key }) {
            registry.gauge(
                name: "ldap_sync_source_records", labels: [("school", school)],
                help: "Pupil-contact link records read from the sources in the last run, by school."
            ).set(Double(records))
        }
        registry.gauge(name: "ldap_sync_exit_code", help: "The exit code of the last run.")
            .set(Double(summary.exitCode))
        registry.gauge(name: "ldap_sync_vle_calls_owed", help: "Calls owed to the VLE, kept for the next run.")
            .set(Double(summary.vleCallsOwed))
        return registry.emitToString()
    }

    /// Writes the file for `summary` atomically: a temporary file in the same folder, renamed over the
    /// old one, so the collector never reads half a file. The last success carries over from the file
    /// already there when this run did not succeed.
    public static func write(_ summary: RunSummary, to path: String) throws {
        let lastSuccess = summary.succeeded ? summary.startedAt.addingTimeInterval(summary.duration) : previousLastSuccess(at: path)
        let text = render(summary, lastSuccess: lastSuccess)
        // AtomicFile's temporary is hidden and ends in .tmp: node_exporter only reads *.prom.
        do {
            try AtomicFile.replace(path, with: text.utf8, permissions: 0o644)
        } catch {
            throw MetricsFileError(path: error.path, reason: error.reason)
        }
    }

    /// `ldap_sync_last_success_timestamp_seconds` of the file at `path`, if it has one.
    static func previousLastSuccess(at path: String) -> Date? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "ldap_sync_last_success_timestamp_seconds", let seconds = Double(fields[1]) {
                return Date(timeIntervalSince1970: seconds)
            }
        }
        return nil
    }
}

/// The metrics file could not be written (logged; the run's exit code does not change).
public struct MetricsFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write the metrics file \(path): \(reason)" }
}

extension PrometheusCollectorRegistry {
    /// A gauge named exactly `name` (its unit already in the name, as Part B spells it): the descriptor's
    /// empty unit adds nothing to the name.
    fileprivate func gauge(name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
