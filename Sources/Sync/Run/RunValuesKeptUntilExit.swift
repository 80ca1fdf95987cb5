import Foundation

/// Values a run of the command line keeps until the process exits instead of freeing them: freeing the
/// directory's 100,000 decoded entries one by one costs a few tenths of a second of a no-op run (and
/// holding them costs nothing more: they were held until the run's end anyway). Only `SyncRun.apply`
/// with `keepsRunValuesUntilExit`, which the `apply` command sets, puts anything here.
enum RunValuesKeptUntilExit {
    private static let store = Store()

    static func keep(_ value: some Sendable) {
        store.append(value)
    }

    private final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [any Sendable] = []

        func append(_ value: any Sendable) {
            lock.lock()
            values.append(value)
            lock.unlock()
        }
    }
}
