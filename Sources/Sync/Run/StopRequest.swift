import Dispatch
import Foundation

/// A request to end the run early, made by SIGTERM (systemd stopping the unit) or SIGINT (Ctrl-C).
///
/// The signal does not kill the process: it sets this flag, the applier sends no new write, waits for
/// the writes in flight, writes the audit log and returns an outcome that exits 128 + n, so whatever
/// runs after a run (the summary line, metrics) still runs.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    /// The first signal asked for a stop, if any.
    public var signal: Int32? {
        lock.withLock { received }
    }

    public var isRequested: Bool { signal != nil }

    /// Asks for a stop as `signal` would (tests call this directly).
    public func request(signal: Int32) {
        lock.withLock { if received == nil { received = signal } }
    }

    /// Catches `signals` from now on: each requests a stop instead of ending the process. A second
    /// signal of the same kind is still only a request; `kill -9` remains for a run that will not stop.
    public static func catching(_ signals: [Int32] = [SIGTERM, SIGINT]) -> StopRequest {
        let request = StopRequest()
        for number in signals {
            // The default action would end the process before the dispatch source saw the signal.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak request] in request?.request(signal: number) }
            source.resume()
            request.sources.append(source)
        }
        return request
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
