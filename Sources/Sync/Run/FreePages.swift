#if canImport(Glibc)
import Glibc
#endif

/// Hands the pages the allocator holds free back to the system between the phases of a large run.
/// glibc keeps what a phase freed (reading 100,000 parents' CSVs leaves tens of MB of freed buffers and
/// strings) for reuse, and it counts in the resident size until then; the next phase's peak then sits on
/// top of it. Elsewhere (or without glibc's `malloc_trim`) a no-op.
enum FreePages {
    #if canImport(Glibc)
    /// glibc's `malloc_trim`, found at run time: `<malloc.h>` is not in the Glibc module.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif

    /// Whether there is anything to call (glibc's symbol was found).
    static var isAvailable: Bool {
        #if canImport(Glibc)
        trim != nil
        #else
        false
        #endif
    }

    static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
