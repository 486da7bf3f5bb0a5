package dev.torchffm.bench;

import dev.torchffm.internal.NativeLoader;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bare cost of one Java-to-C call: {@code void tffm_bench_noop(void)}, which does nothing.
 *
 * <ul>
 *   <li>{@code binding}: the jextract-generated {@code TorchFfm.tffm_bench_noop()} (what torchffm uses);
 *   <li>{@code handleDefault}: a {@code static final} downcall handle made here without options;
 *   <li>{@code handleCritical}: the same with {@code Linker.Option.critical(false)}, which skips the
 *       Java-to-native thread-state transition (allowed only for short calls that never block or call back);
 *   <li>{@code javaNoInline}: an empty Java method that the JIT may not inline, for scale.
 * </ul>
 * Compare with {@link JniNoop}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Downcall {
    static {
        NativeLoader.load();
    }

    private static final MethodHandle DEFAULT = Linker.nativeLinker()
            .downcallHandle(TorchFfm.tffm_bench_noop$address(), TorchFfm.tffm_bench_noop$descriptor());
    private static final MethodHandle CRITICAL = Linker.nativeLinker()
            .downcallHandle(
                    TorchFfm.tffm_bench_noop$address(),
                    TorchFfm.tffm_bench_noop$descriptor(),
                    Linker.Option.critical(false));

    @Benchmark
    public void binding() {
        TorchFfm.tffm_bench_noop();
    }

    @Benchmark
    public void handleDefault() throws Throwable {
        DEFAULT.invokeExact();
    }

    @Benchmark
    public void handleCritical() throws Throwable {
        CRITICAL.invokeExact();
    }

    @Benchmark
    public void javaNoInline() {
        empty();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void empty() {}
}
