package dev.torchffm.bench;

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
 * The bare cost of one Java-to-C call: {@code void tffm_baseline_noop(void)} ({@link Baseline}), which
 * does nothing.
 *
 * <ul>
 *   <li>{@code binding}: a call shaped as jextract generates every binding torchffm uses (a holder
 *       class's static final handle, a trace-flag check, {@code invokeExact} in a try; see any function
 *       in {@code TorchFfm.java}), written out here because the no-op is not in the library's header.
 *       The same empty callee as the other contenders, so the differences are the Java side alone;
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
    private static final MethodHandle DEFAULT = Linker.nativeLinker().downcallHandle(Baseline.NOOP, Baseline.NOOP_DESC);
    private static final MethodHandle CRITICAL =
            Linker.nativeLinker().downcallHandle(Baseline.NOOP, Baseline.NOOP_DESC, Linker.Option.critical(false));

    @Benchmark
    public void binding() {
        Generated.tffm_baseline_noop();
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

    /** jextract's shape for {@code void f(void)}, member for member. */
    private static final class Generated {
        private static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

        private static final class tffm_baseline_noop {
            static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(Baseline.NOOP, Baseline.NOOP_DESC);
        }

        static void tffm_baseline_noop() {
            var mh$ = tffm_baseline_noop.HANDLE;
            try {
                if (TRACE_DOWNCALLS) {
                    System.out.println("tffm_baseline_noop()");
                }
                mh$.invokeExact();
            } catch (Throwable ex$) {
                throw new AssertionError("should not reach here", ex$);
            }
        }
    }
}
