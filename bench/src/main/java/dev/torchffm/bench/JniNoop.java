package dev.torchffm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JNI baseline for {@link Downcall}: a static native method whose C body (bench/jni/noop.c) is
 * empty. The library is {@code -Dtorchffm.bench.jni=/path/libtffmjni.so}, or {@code tffmjni} on
 * {@code java.library.path} (bench/run.sh builds it into bench/target/jni and sets both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class JniNoop {
    static {
        String path = System.getProperty("torchffm.bench.jni");
        if (path != null && !path.isBlank()) {
            System.load(path);
        } else {
            System.loadLibrary("tffmjni");
        }
    }

    static native void noop();

    @Benchmark
    public void jni() {
        noop();
    }
}
