import Foundation

/// stderr, shared by the log lines and the progress line: a log line first clears a progress line
/// being redrawn there, so the two never mix on one terminal line.
public final class StandardErrorStream: @unchecked Sendable {
    /// The process's stderr.
    public static let shared = StandardErrorStream(descriptor: STDERR_FILENO)

    /// True when stderr is a terminal a person watches (not a pipe, a file or the journal).
    public let isTerminal: Bool
    private let descriptor: Int32
    private let lock = NSLock()
    private var progressShowing = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
        isTerminal = isatty(descriptor) == 1
    }

    /// Writes whole lines, clearing a progress line first.
    public func writeLines(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if progressShowing {
            write("\r\u{1B}[K")
            progressShowing = false
        }
        write(text)
    }

    /// Redraws the progress line in place (`\r`, the text, clear to the end of the line).
    func drawProgress(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        write("\r" + line + "\u{1B}[K")
        progressShowing = true
    }

    /// Ends the progress line: the last state stays on screen and the next output starts on a new line.
    func endProgress() {
        lock.lock()
        defer { lock.unlock() }
        if progressShowing { write("\n") }
        progressShowing = false
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 {
                if written < 0, errno == EINTR { continue }
                return  // stderr gone (closed pipe): nothing more can be said
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
