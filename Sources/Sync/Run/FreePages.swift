#if canImport(Glibc)
import Glibc
#endif

/// Hands the pages the allocator holds free back to the system between the phases of a large run.
/// glibc keeps what a phase freed (reading 100,000 parents' CSVs leaves tens of MB of freed buffers and
/// strings) for reuse, and it counts in the resident size until then; the next phase's peak then sits on
/// top of it. Elsewhere (or without glibc's `malloc_trim` and `mallopt`) a no-op.
enum FreePages {
    #if canImport(Glibc)
    /// glibc's `malloc_trim`, found at run time: `<malloc.h>` is not in the Glibc module.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// glibc's `mallopt`, found at run time for the same reason.
    private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()

    /// `M_ARENA_MAX` in `<malloc.h>`.
    private static let arenaMaxOption: Int32 = -8
    /// `M_MMAP_THRESHOLD` in `<malloc.h>`.
    private static let mmapThresholdOption: Int32 = -3
    #endif

    /// Whether there is anything to call (glibc's symbols were found).
    static var isAvailable: Bool {
        #if canImport(Glibc)
        trim != nil && mallopt != nil
        #else
        false
        #endif
    }

    static func release() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }

    /// Keeps the allocator to `count` arenas. glibc gives each thread that contends for the allocator an
    /// arena of its own, up to eight a core; a run's buffers are made on one thread (the connection's
    /// queue, a reader) and freed on another, and each arena keeps free pages the others cannot reuse.
    /// With two, the 100,000-parent no-op apply peaked about 20 MB lower in resident size (three pairs:
    /// 469, 473, 493 MB against 504, 499, 496 MB) in the same time. Returns whether the limit was set
    /// (false where there is no glibc).
    @discardableResult
    static func limitArenas(to count: Int32) -> Bool {
        #if canImport(Glibc)
        // A fixed threshold (glibc's default, 128 KB) turns off its rise: each large buffer freed (a page
        // of search results, a file's bytes) otherwise lifts it to that buffer's size, and later buffers
        // below it come from the arenas and stay in them once freed.
        _ = mallopt?(mmapThresholdOption, 128 * 1024)
        return mallopt?(arenaMaxOption, count) == 1
        #else
        return false
        #endif
    }
}
