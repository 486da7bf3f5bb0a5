package dev.torchffm;

import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.NativeLoader;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Process-wide LibTorch facts and settings: version, CUDA, seed, threads, gradient mode. */
public final class Torch {
    static {
        NativeLoader.load();
    }

    private Torch() {}

    /** LibTorch's version, e.g. {@code 1.13.0}. */
    public static String version() {
        return TorchFfm.tffm_lib_version().reinterpret(256).getString(0);
    }

    /** Whether the loaded shim was built against a CUDA LibTorch. */
    public static boolean cudaCompiled() {
        return TorchFfm.tffm_lib_cuda_compiled() != 0;
    }

    /** Whether at least one CUDA device is usable. */
    public static boolean cudaAvailable() {
        return TorchFfm.tffm_lib_cuda_available() != 0;
    }

    public static int cudaDeviceCount() {
        return TorchFfm.tffm_lib_cuda_device_count();
    }

    /** Seeds LibTorch's CPU generator and every CUDA generator, as {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        TorchFfm.tffm_lib_manual_seed(seed);
    }

    /** Sets ATen's intra-op thread count (process-wide). */
    public static void setNumThreads(int n) {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_lib_set_num_threads(c.ctx(), n));
    }

    public static int numThreads() {
        return TorchFfm.tffm_lib_get_num_threads();
    }

    /** Number of native tensor handles alive in the process. */
    public static long liveTensors() {
        return TorchFfm.tffm_lib_live_tensors();
    }

    /** Opens a region without autograd recording on this thread: {@code try (var g = Torch.noGrad()) {...}}. */
    public static NoGrad noGrad() {
        return new NoGrad();
    }

    /**
     * Opens a region in which this thread's cross-entropy labels and index_select indices on CUDA are
     * trusted to be in range: the range check, which waits for the GPU, is skipped. For code whose
     * labels and indices are valid by construction (a validated data set, a permutation); an
     * out-of-range value inside the region is a device-side assert that ends the CUDA context.
     * Nothing changes on the CPU, where LibTorch checks as it computes.
     */
    public static TrustedIndices trustIndices() {
        return new TrustedIndices();
    }

    /** Whether operations on this thread currently record autograd history. */
    public static boolean isGradEnabled() {
        return CallContext.get().gradEnabled();
    }

    /** CUDA caching-allocator figures of a device, in bytes. */
    public record CudaMemory(long allocated, long reserved, long total) {}

    /** CUDA memory of {@code device}; {@link TorchException} without CUDA. */
    public static CudaMemory cudaMemory(Device device) {
        if (!device.isCuda()) {
            throw new IllegalArgumentException("cudaMemory needs a CUDA device, got " + device);
        }
        CallContext c = CallContext.get();
        MemorySegment out = c.scratch();
        c.check(TorchFfm.tffm_lib_cuda_memory(c.ctx(), device.index(), out));
        return new CudaMemory(
                out.getAtIndex(ValueLayout.JAVA_LONG, 0),
                out.getAtIndex(ValueLayout.JAVA_LONG, 1),
                out.getAtIndex(ValueLayout.JAVA_LONG, 2));
    }

    /** Returns cached, unused CUDA memory to the driver (no-op without CUDA). */
    public static void emptyCache() {
        CallContext c = CallContext.get();
        c.check(TorchFfm.tffm_lib_cuda_empty_cache(c.ctx()));
    }

    /** Waits until all queued work on a CUDA device has finished (no-op for the CPU). */
    public static void synchronize(Device device) {
        if (device.isCuda()) {
            CallContext c = CallContext.get();
            c.check(TorchFfm.tffm_lib_cuda_synchronize(c.ctx(), device.index()));
        }
    }

    /** Diagnostics lines: LibTorch, CUDA, devices, loaded libraries, JDK. */
    public static List<String> diagnostics() {
        var lines = new java.util.ArrayList<String>();
        lines.add("torchffm shim:   " + NativeLoader.loadedPath());
        lines.add("LibTorch:        " + version());
        lines.add("CUDA compiled:   " + cudaCompiled());
        lines.add("CUDA available:  " + cudaAvailable() + " (" + cudaDeviceCount() + " device(s))");
        for (int i = 0; i < cudaDeviceCount(); i++) {
            CudaMemory m = cudaMemory(new Device(Device.Type.CUDA, i));
            lines.add(String.format(
                    "  cuda:%d memory: allocated %d MiB, reserved %d MiB, total %d MiB",
                    i, m.allocated() >> 20, m.reserved() >> 20, m.total() >> 20));
        }
        lines.add("best device:     " + Device.best());
        lines.add("ATen threads:    " + numThreads());
        lines.add("live tensors:    " + liveTensors());
        CpuCache.Stats cache = CpuCache.stats();
        lines.add(String.format(
                "CPU cache:       %s, %d MiB cached, %d MiB in use, %d hits, %d misses",
                CpuCache.isEnabled() ? "on" : "off",
                cache.cachedBytes() >> 20,
                cache.liveBytes() >> 20,
                cache.hits(),
                cache.misses()));
        lines.add("native libraries:");
        for (String lib : loadedLibraries()) {
            lines.add("  " + lib);
        }
        lines.add("JDK:             " + System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.home") + ")");
        return lines;
    }

    // The shared objects of LibTorch, BLAS and OpenMP actually mapped into this process.
    private static List<String> loadedLibraries() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.matches(".*/lib(torch|c10|blas|openblas|gomp|omp|cudart|torchffm)[^/]*\\.so.*"))
                    .distinct()
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            return List.of("(cannot read /proc/self/maps: " + e.getMessage() + ")");
        }
    }
}
