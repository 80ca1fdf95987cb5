import Foundation

/// A request to end the run early, made by SIGTERM (systemd stopping the unit) or SIGINT (Ctrl-C).
///
/// The signal does not kill the process: it sets this flag, the applier sends no new write, waits for
/// the writes in flight, writes the audit log and returns an outcome that exits 128 + n, so whatever
/// runs after a run (the summary line, metrics) still runs.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested: Int32?
    /// Whether the process's signals count (set by `catching`).
    private let watchesSignals: Bool

    public init() {
        watchesSignals = false
    }

    private init(watchingSignals: Bool) {
        watchesSignals = watchingSignals
    }

    /// The first signal that asked for a stop, if any.
    public var signal: Int32? {
        if let requested = lock.withLock({ requested }) { return requested }
        guard watchesSignals else { return nil }
        let caught = caughtSignal
        return caught == 0 ? nil : caught
    }

    public var isRequested: Bool { signal != nil }

    /// Asks for a stop as `signal` would (tests call this directly).
    public func request(signal: Int32) {
        lock.withLock { if requested == nil { requested = signal } }
    }

    /// Catches `signals` from now on: each asks for a stop instead of ending the process. `kill -9`
    /// remains for a run that will not stop.
    ///
    /// A plain signal handler rather than a dispatch source: on Linux, libdispatch receives signals
    /// through signalfd, which sees only signals blocked in every thread, and the run's threads are not
    /// all ours to block them in.
    public static func catching(_ signals: [Int32] = [SIGTERM, SIGINT]) -> StopRequest {
        for number in signals { installHandler(number) }
        startListener(for: signals)
        return StopRequest(watchingSignals: true)
    }
}

/// The signal the handler caught (0: none). Written only by the handler, an aligned 32-bit store, which
/// is all a signal handler may safely do; read by `StopRequest.signal`.
nonisolated(unsafe) private var caughtSignal: Int32 = 0

/// One thread that never blocks `signals`, so that the kernel always has a thread to run the handler on:
/// the dispatch threads a Swift program runs on block them, and a process inherits its parent's blocked
/// signals (a test runner's thread blocks SIGTERM). Without it a stop could stay pending until SIGKILL.
private func startListener(for signals: [Int32]) {
    let thread = Thread {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in signals { sigaddset(&unblock, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        while true { pause() }
    }
    thread.name = "ldap-sync signals"
    thread.start()
}

private func installHandler(_ number: Int32) {
    var action = sigaction()
    #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = { received in if caughtSignal == 0 { caughtSignal = received } }
    #else
    action.__sigaction_u.__sa_handler = { received in if caughtSignal == 0 { caughtSignal = received } }
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(number, &action, nil)
}
