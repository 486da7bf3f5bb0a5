package dev.torchffm.bench;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cheap queries on a live [2,3,4] float tensor: the public {@code Tensor.dim()} and {@code numel()}
 * (liveness check + downcall), the raw binding {@code TorchFfm.tffm_tensor_ndim(handle)}, and the
 * same function through a {@code critical(false)} handle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Getter {
    private Tensor x;
    private MemorySegment handle;
    private MethodHandle ndimCritical;

    @Setup(Level.Trial)
    public void setup() {
        x = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4);
        handle = Raw.tensor(CallContext.get().ctx(), new float[24], 2, 3, 4);
        ndimCritical = Linker.nativeLinker()
                .downcallHandle(
                        TorchFfm.tffm_tensor_ndim$address(),
                        TorchFfm.tffm_tensor_ndim$descriptor(),
                        Linker.Option.critical(false));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        TorchFfm.tffm_tensor_free(handle);
    }

    @Benchmark
    public int tensorDim() {
        return x.dim();
    }

    @Benchmark
    public long tensorNumel() {
        return x.numel();
    }

    @Benchmark
    public long rawNdim() {
        return TorchFfm.tffm_tensor_ndim(handle);
    }

    @Benchmark
    public long rawNdimCritical() throws Throwable {
        return (long) ndimCritical.invokeExact(handle);
    }
}
