package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeLoader;
import dev.torchffm.internal.bindings.TorchFfm;

/**
 * A process-wide cache of large CPU tensor buffers (128 KiB to 64 MiB), the CPU's counterpart of
 * PyTorch's CUDA caching allocator: a freed buffer is kept and handed to the next tensor of the same
 * size, so that each training step writes into the pages of the last one instead of faulting in fresh
 * ones from malloc's heap, which other allocations in between can fragment (bench/faults.py measures
 * it for the profiler's).
 *
 * <p>Live plus cached bytes never grow past their earlier peak: a request the cache cannot serve first
 * frees the least recently freed buffers. {@link dev.torchffm.train.Trainer} holds a {@link #lease()}
 * on it during {@code fit} ({@link dev.torchffm.train.Speedup#CPU_CACHE}).
 */
public final class CpuCache {
    static {
        NativeLoader.load();
    }

    private CpuCache() {}

    /** What the cache holds and has done since the process started. */
    public record Stats(long cachedBytes, long liveBytes, long hits, long misses) {}

    /** A hold on the cache that {@link #lease()} gave; closing it twice does nothing. */
    public static final class Lease implements AutoCloseable {
        private boolean closed;

        private Lease() {}

        @Override
        public void close() {
            synchronized (CpuCache.class) {
                if (!closed) {
                    closed = true;
                    if (--leases == 0 && enabledByLeases) {
                        enabledByLeases = false;
                        set(false);
                    }
                }
            }
        }
    }

    private static int leases; // guarded by CpuCache.class
    private static boolean enabledByLeases;

    /** Makes the cache LibTorch's CPU allocator for tensors created from now on. Idempotent. */
    public static synchronized void enable() {
        set(true);
        enabledByLeases = false; // enabled by the caller now: leases ending leave it on
    }

    /**
     * Restores the allocator that was there before and frees the cached buffers; buffers still in use
     * return to malloc when their tensors are freed. Idempotent; it also ends what open leases hold.
     */
    public static synchronized void disable() {
        set(false);
        enabledByLeases = false;
    }

    /**
     * Enables the cache until the returned lease and every other open lease are closed, unless it
     * was enabled already, in which case it stays as it is: what {@link dev.torchffm.train.Trainer}
     * holds during {@code fit}, so that two trainers in two threads do not switch it off under each
     * other.
     */
    public static synchronized Lease lease() {
        if (leases++ == 0 && !isEnabled()) {
            set(true);
            enabledByLeases = true;
        }
        return new Lease();
    }

    private static void set(boolean on) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_cpu_cache_enable(c.ctx(), on ? 1 : 0));
    }

    /** Whether new CPU tensors come from the cache. */
    public static boolean isEnabled() {
        return TorchFfm.tffm_cpu_cache_enabled() != 0;
    }

    /** Returns every cached, unused buffer to malloc (the cache stays enabled). */
    public static void trim() {
        TorchFfm.tffm_cpu_cache_trim();
    }

    /** The cache's current figures. */
    public static Stats stats() {
        return new Stats(
                TorchFfm.tffm_cpu_cache_stat(TorchFfm.TFFM_CPU_CACHE_CACHED_BYTES()),
                TorchFfm.tffm_cpu_cache_stat(TorchFfm.TFFM_CPU_CACHE_LIVE_BYTES()),
                TorchFfm.tffm_cpu_cache_stat(TorchFfm.TFFM_CPU_CACHE_HITS()),
                TorchFfm.tffm_cpu_cache_stat(TorchFfm.TFFM_CPU_CACHE_MISSES()));
    }
}
