package dev.torchffm.bench;

import dev.torchffm.internal.NativeLoader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The native baselines of {@code bench/native/baseline.c}, which bench/run.sh builds into
 * {@code libtffmbench.so} beside its copy of the shim and names in {@code -Dtorchffm.bench.baseline}.
 * They are benchmark code, so the library's header and generated bindings do not have them; the
 * downcall handles are made here.
 */
final class Baseline {
    private Baseline() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBRARY = open();

    /** {@code void tffm_baseline_noop(void)}. */
    static final MemorySegment NOOP = symbol("tffm_baseline_noop");

    static final FunctionDescriptor NOOP_DESC = FunctionDescriptor.ofVoid();

    /** {@code int32_t tffm_baseline_sigmoid_loop(tffm_ctx *ctx, const tffm_tensor *x, int64_t n)}. */
    private static final MethodHandle SIGMOID_LOOP = LINKER.downcallHandle(
            symbol("tffm_baseline_sigmoid_loop"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private static SymbolLookup open() {
        NativeLoader.load(); // the shim first, from -Dtorchffm.library: the baseline links against it
        String path = System.getProperty("torchffm.bench.baseline");
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("set -Dtorchffm.bench.baseline to bench/target/native/libtffmbench.so"
                    + " (bench/run.sh builds it and sets it)");
        }
        return SymbolLookup.libraryLookup(Path.of(path), Arena.global());
    }

    // SymbolLookup.findOrThrow is JDK 23+; the benchmarks compile with --release 22.
    private static MemorySegment symbol(String name) {
        return LIBRARY.find(name)
                .orElseThrow(() -> new IllegalStateException("no " + name + " in the baseline library"));
    }

    /** Runs sigmoid and free {@code n} times in C; throws if a call fails. */
    static void sigmoidLoop(MemorySegment ctx, MemorySegment x, long n) {
        int status;
        try {
            status = (int) SIGMOID_LOOP.invokeExact(ctx, x, n);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (status != 0) {
            throw new IllegalStateException("tffm_baseline_sigmoid_loop failed with error kind " + status);
        }
    }
}
