package dev.torchffm.bench;

import dev.torchffm.Tensor;
import dev.torchffm.Torch;
import dev.torchffm.internal.CallContext;
import dev.torchffm.internal.bindings.TorchFfm;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Java adds to one small op: sigmoid of a 1-element float tensor, result freed at once.
 *
 * <ul>
 *   <li>{@code javaSigmoid}: the public API, {@code try (Tensor y = x.sigmoid()) {}} with no scope
 *       (liveness and owner checks, thread-local context, leak tracking, two downcalls);
 *   <li>{@code javaSigmoidNonOwner}: the same on a tensor owned by another thread, which holds the
 *       tensor for the call (an atomic increment and decrement of its use count);
 *   <li>{@code rawSigmoid}: the same two downcalls through the bindings ({@code tffm_sigmoid},
 *       {@code tffm_tensor_free}) with no wrapper object;
 *   <li>{@code cppSigmoid}: {@code tffm_baseline_sigmoid_loop} ({@link Baseline}) calls
 *       {@code tffm_sigmoid} and {@code tffm_tensor_free} {@value #N} times in a C loop: the same
 *       shim calls, guard included, with no Java side and no FFM crossing; the score is per op (the
 *       one downcall is amortised away);
 *   <li>{@code cppSigmoidOnce}: the same loop with one iteration: one downcall per op, which tells
 *       the cost of the downcall from that of the second one (the free).
 * </ul>
 * {@code javaSigmoid - cppSigmoid} is what Java + FFM add per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PerOp {
    static final int N = 10_000;

    private Tensor x;
    private Tensor foreign; // made, and so owned, by another thread
    private MemorySegment handle;
    private MemorySegment ctx;

    @Setup(Level.Trial)
    public void setup() {
        Torch.setNumThreads(1);
        x = Tensor.of(new float[] {0.5f}, 1);
        ctx = CallContext.get().ctx();
        handle = Raw.tensor(ctx, new float[] {0.5f});
        Thread owner = new Thread(() -> foreign = Tensor.of(new float[] {0.5f}, 1));
        owner.start();
        try {
            owner.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        x.close();
        TorchFfm.tffm_tensor_free(handle);
        Thread owner = new Thread(foreign::close);
        owner.start();
        owner.join();
    }

    @Benchmark
    public void javaSigmoid() {
        try (Tensor y = x.sigmoid()) {}
    }

    @Benchmark
    public void javaSigmoidNonOwner() {
        try (Tensor y = foreign.sigmoid()) {}
    }

    @Benchmark
    public void rawSigmoid() {
        MemorySegment y = TorchFfm.tffm_sigmoid(ctx, handle);
        if (y.address() == 0) {
            throw new IllegalStateException("tffm_sigmoid failed");
        }
        TorchFfm.tffm_tensor_free(y);
    }

    @Benchmark
    public void cppSigmoidOnce() {
        Baseline.sigmoidLoop(ctx, handle, 1);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void cppSigmoid() {
        Baseline.sigmoidLoop(ctx, handle, N);
    }
}
