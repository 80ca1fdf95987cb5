/// A password or other secret. Its description never shows the value, so it cannot leak into a log line
/// or an error message by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret's bytes; read only where it is sent.
    public let bytes: [UInt8]

    public init(_ value: String) { self.bytes = Array(value.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { "‹secret›" }
    public var debugDescription: String { "‹secret›" }
}
