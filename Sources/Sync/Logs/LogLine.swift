import Foundation
import Logging

/// How a log line is written: for a person at a terminal or reading a file, or as one JSON object per
/// line for a log collector (journald, Loki, an ELK stack).
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// One log line, rendered. Pure: the time is a parameter, so tests compare exact text.
public enum LogLine {
    /// `2026-11-29T13:15:00Z info     sources read  records=412 sources=2`: time, level padded to line
    /// up, message, then the metadata sorted by key. Values with spaces are quoted. The run summary's
    /// message already says all its figures: they are fields for JSON only.
    public static func text(
        level: Logger.Level, message: String, metadata: Logger.Metadata, at time: Date
    ) -> String {
        var line = "\(Timestamp.iso8601(time)) \(level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(message)"
        if !metadata.isEmpty, metadata["event"]?.description != runSummaryEvent {
            line += "  " + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quotedIfNeeded(textValue($0.value)))" }
                .joined(separator: " ")
        }
        return line
    }

    /// `{"level":"info","message":"sources read","records":"412","time":"…"}`: the metadata as fields
    /// beside `time`, `level` and `message` (which win over metadata of the same name); keys sorted.
    public static func json(
        level: Logger.Level, message: String, metadata: Logger.Metadata, at time: Date
    ) -> String {
        var object: [String: Any] = [:]
        for (key, value) in metadata { object[key] = jsonValue(value) }
        object["time"] = Timestamp.iso8601(time)
        object["level"] = level.rawValue
        object["message"] = message
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{\"level\":\"\(level.rawValue)\",\"message\":\"(a log line that could not be encoded)\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `event` of the summary line that ends every run.
    public static let runSummaryEvent = "run-summary"

    static func textValue(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(textValue).joined(separator: ", ") + "]"
        case .dictionary(let values): "{" + values.sorted { $0.key < $1.key }.map { "\($0.key): \(textValue($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func jsonValue(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text):
            return text
        case .stringConvertible(let convertible):
            // Numbers stay numbers for the collector's queries.
            if let number = convertible as? Int { return number }
            if let number = convertible as? Double { return number }
            return convertible.description
        case .array(let values):
            return values.map(jsonValue)
        case .dictionary(let values):
            return values.mapValues(jsonValue)
        }
    }

    static func quotedIfNeeded(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }
}

/// The swift-log handler of the command line: every line to stderr, as text or JSON.
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let format: LogFormat
    let stream: StandardErrorStream

    public init(format: LogFormat, level: Logger.Level, stream: StandardErrorStream = .shared) {
        self.format = format
        logLevel = level
        self.stream = stream
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        let message = event.message.description
        let line = switch format {
        case .text: LogLine.text(level: event.level, message: message, metadata: merged, at: Date())
        case .json: LogLine.json(level: event.level, message: message, metadata: merged, at: Date())
        }
        stream.writeLines(line + "\n")
    }
}

extension Logger {
    /// The logger of a run. What it writes to is set once, by the command line (`--log-format`,
    /// `--log-level`); in tests it is swift-log's default.
    public static func run(_ runID: String? = nil) -> Logger {
        var logger = Logger(label: "ldap-sync")
        if let runID { logger[metadataKey: "run"] = .string(runID) }
        return logger
    }
}
