package dev.torchffm.bench;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.SGD;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LeNet (the chapter's sigmoid/avg-pool net) on random 1x28x28 inputs: inference at batch 1 and 256
 * (under {@code Torch.noGrad()}, temporaries freed by a {@code TensorScope} per call), and one
 * training step at batch 256 (zeroGrad, forward, cross-entropy, backward, SGD step).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LeNetBench {
    @Param("2")
    public int threads;

    private Sequential net;
    private SGD sgd;
    private Tensor x1;
    private Tensor x256;
    private Tensor y256;

    @Setup(Level.Trial)
    public void setup() {
        Torch.setNumThreads(threads);
        Torch.manualSeed(42);
        net = LeNet.classic();
        sgd = new SGD(net.parameters(), SGD.Options.lr(0.1));
        x1 = Tensor.rand(DType.FLOAT32, Device.CPU, 1, 1, 28, 28);
        x256 = Tensor.rand(DType.FLOAT32, Device.CPU, 256, 1, 28, 28);
        long[] labels = new long[256];
        Random random = new Random(42);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        y256 = Tensor.of(labels, 256);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        y256.close();
        x256.close();
        x1.close();
        sgd.close();
        net.close();
    }

    private double forward(Tensor x) {
        net.eval();
        try (TensorScope scope = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            return net.forward(x).numel();
        }
    }

    @Benchmark
    public double forwardBatch1() {
        return forward(x1);
    }

    @Benchmark
    public double forwardBatch256() {
        return forward(x256);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void trainStepBatch256(Blackhole bh) {
        net.train();
        try (TensorScope scope = TensorScope.open()) {
            sgd.zeroGrad();
            Tensor logits = net.forward(x256);
            Tensor loss = Functional.crossEntropy(logits, y256);
            loss.backward();
            sgd.step();
            bh.consume(loss);
        }
    }
}
