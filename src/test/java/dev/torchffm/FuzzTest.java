package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.optim.SGD;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Calls every public op with random shapes, ranks, dtypes, devices and arguments, valid and
 * invalid (fixed seed, bounded count): each call returns or throws a documented exception, and the
 * JVM never dies. Prints how many calls ran and how many distinct error messages it saw.
 */
class FuzzTest {
    private static final int CALLS = 6000;
    private static final DType[] DTYPES = DType.values();

    private final Random rnd = new Random(20261128);

    @Test
    void randomCallsNeverCrashTheJvm() {
        long liveBefore = Torch.liveTensors();
        List<Function<Tensor[], Object>> ops = ops();
        int ok = 0;
        int failed = 0;
        Set<String> messages = new TreeSet<>();
        for (int i = 0; i < CALLS; i++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor[] args = {randomTensor(), randomTensor(), randomTensor()};
                Function<Tensor[], Object> op = ops.get(rnd.nextInt(ops.size()));
                try {
                    op.apply(args);
                    ok++;
                } catch (TorchException
                        | IllegalArgumentException
                        | IllegalStateException
                        | IndexOutOfBoundsException
                        | NullPointerException e) {
                    failed++;
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "every error has a message: " + e);
                    messages.add(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
                }
            }
        }
        System.out.printf(
                "fuzz: %d calls, %d returned, %d threw, %d distinct error messages%n",
                CALLS, ok, failed, messages.size());
        assertTrue(ok > CALLS / 10, "a good share of calls must be valid, got " + ok);
        assertTrue(failed > CALLS / 10, "a good share of calls must be invalid, got " + failed);
        assertTrue(messages.size() > 30, "distinct messages: " + messages.size());
        assertEquals(liveBefore, Torch.liveTensors(), "every tensor was freed with its scope");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.replaceAll("\\d+", "N"); // group messages that differ only by sizes
    }

    private long[] randomShape() {
        int rank = rnd.nextInt(6);
        long[] s = new long[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 9);
        }
        return s;
    }

    private Tensor randomTensor() {
        long[] shape = randomShape();
        DType t = rnd.nextInt(3) == 0 ? DTYPES[rnd.nextInt(DTYPES.length)] : DType.FLOAT32;
        Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, shape).mul(rnd.nextInt(12) - 2);
        Tensor out = x.to(t);
        if (rnd.nextInt(12) == 0) { // a read-only view of the same values
            MemorySegment copy = Arena.ofAuto()
                    .allocate(Math.max(1, out.numel() * t.byteSize()), 8)
                    .asSlice(0, out.numel() * t.byteSize());
            out.writeTo(copy);
            out = Tensor.borrow(copy.asReadOnly(), t, shape);
        }
        if (rnd.nextInt(20) == 0) {
            out.close(); // use after close
        } else if (rnd.nextInt(6) == 0 && t.isFloatingPoint() && !out.isReadOnly()) {
            out.requiresGrad(true);
        }
        return out;
    }

    private int smallInt() {
        return rnd.nextInt(12) - 3;
    }

    private long[] someShape() {
        long[] s = randomShape();
        if (s.length > 0 && rnd.nextInt(4) == 0) {
            s[rnd.nextInt(s.length)] = -1;
        }
        return s;
    }

    // Caller memory as a user might pass it: sometimes misaligned, read-only, closed or on the heap.
    private MemorySegment someSegment(long bytes) {
        return switch (rnd.nextInt(6)) {
            case 0 -> MemorySegment.ofArray(new byte[(int) Math.min(bytes, 1 << 16)]);
            case 1 -> Arena.ofAuto().allocate(bytes + 8, 8).asSlice(1 + rnd.nextInt(3), bytes);
            case 2 -> Arena.ofAuto().allocate(bytes, 8).asReadOnly();
            case 3 -> {
                Arena arena = Arena.ofConfined();
                MemorySegment s = arena.allocate(bytes, 8);
                arena.close();
                yield s;
            }
            default -> Arena.ofAuto().allocate(bytes, 8);
        };
    }

    // A shape that sometimes overflows 64 bits in elements or bytes.
    private long[] maybeHugeShape() {
        return switch (rnd.nextInt(4)) {
            case 0 -> new long[] {1L << (55 + rnd.nextInt(9))};
            case 1 -> new long[] {1L << 31, 1L << (30 + rnd.nextInt(4)), 1 + rnd.nextInt(4)};
            default -> randomShape();
        };
    }

    private Device someDevice() {
        return rnd.nextInt(8) == 0 ? new Device(Device.Type.CUDA, rnd.nextInt(3)) : Device.CPU;
    }

    private List<Function<Tensor[], Object>> ops() {
        List<Function<Tensor[], Object>> ops = new ArrayList<>();
        ops.add(a -> a[0].sigmoid());
        ops.add(a -> a[0].relu());
        ops.add(a -> a[0].add(a[1]));
        ops.add(a -> a[0].sub(a[1]));
        ops.add(a -> a[0].mul(a[1]));
        ops.add(a -> a[0].add(rnd.nextGaussian()));
        ops.add(a -> a[0].mul(rnd.nextGaussian()));
        ops.add(a -> a[0].eq(a[1]));
        ops.add(a -> a[0].sum());
        ops.add(a -> a[0].mean());
        ops.add(a -> a[0].argmax(smallInt(), rnd.nextBoolean()));
        ops.add(a -> a[0].matmul(a[1]));
        ops.add(a -> a[0].reshape(someShape()));
        ops.add(a -> a[0].flatten(smallInt(), smallInt()));
        ops.add(a -> a[0].narrow(smallInt(), smallInt(), smallInt()));
        ops.add(a -> a[0].indexSelect(smallInt(), a[1].to(DType.INT64)));
        ops.add(a -> a[0].to(someDevice()));
        ops.add(a -> a[0].to(DTYPES[rnd.nextInt(DTYPES.length)]));
        ops.add(a -> a[0].item());
        ops.add(a -> a[0].shape());
        ops.add(a -> a[0].toFloatArray());
        ops.add(a -> {
            a[0].backward();
            return null;
        });
        ops.add(a -> a[0].grad());
        ops.add(a -> {
            a[0].assign(a[1]);
            return null;
        });
        ops.add(a -> Functional.conv2d(a[0], a[1], rnd.nextBoolean() ? a[2] : null, smallInt(), smallInt()));
        ops.add(a -> Functional.conv2d(fourD(a[0]), fourD(a[1]), null, 1 + rnd.nextInt(2), rnd.nextInt(3)));
        ops.add(a -> Functional.avgPool2d(a[0], smallInt(), smallInt()));
        ops.add(a -> Functional.maxPool2d(a[0], smallInt(), smallInt()));
        ops.add(a -> Functional.avgPool2d(fourD(a[0]), 1 + rnd.nextInt(4), 1 + rnd.nextInt(3)));
        ops.add(a -> Functional.linear(a[0], a[1], rnd.nextBoolean() ? a[2] : null));
        ops.add(a -> Functional.crossEntropy(a[0], a[1]));
        ops.add(a -> Functional.crossEntropy(
                a[0], a[1].mul(rnd.nextInt(20) - 5).to(DType.INT64).reshape(-1)));
        ops.add(a -> Tensor.zeros(DTYPES[rnd.nextInt(DTYPES.length)], someDevice(), someShape()));
        ops.add(a -> Tensor.randperm(smallInt(), Device.CPU));
        ops.add(a -> {
            Init.xavierUniform(a[0], rnd.nextDouble());
            return null;
        });
        ops.add(a -> {
            Init.kaimingUniform(a[0], rnd.nextDouble());
            return null;
        });
        ops.add(a -> {
            Init.uniform(a[0], rnd.nextGaussian(), rnd.nextGaussian());
            return null;
        });
        ops.add(a -> {
            try (SGD sgd = new SGD(
                    List.of(a[0], a[1]), SGD.Options.lr(rnd.nextDouble()).withMomentum(rnd.nextDouble()))) {
                sgd.step();
                sgd.zeroGrad();
            }
            return null;
        });
        // native/src/ops_extra.cpp
        ops.add(a -> a[0].div(a[1]));
        ops.add(a -> a[0].div(rnd.nextGaussian()));
        ops.add(a -> a[0].exp());
        ops.add(a -> a[0].log());
        ops.add(a -> a[0].softmax(smallInt()));
        ops.add(a -> a[0].logSoftmax(smallInt()));
        ops.add(a -> a[0].transpose(smallInt(), smallInt()));
        ops.add(a -> a[0].permute(someShape()));
        ops.add(a -> Tensor.cat(List.of(a[0], a[1]), smallInt()));
        ops.add(a -> Tensor.stack(List.of(a[0], a[1], a[2]), smallInt()));
        ops.add(a -> Tensor.randn(DTYPES[rnd.nextInt(DTYPES.length)], someDevice(), someShape()));
        ops.add(a -> Functional.mseLoss(a[0], a[1]));
        ops.add(a -> Functional.binaryCrossEntropyWithLogits(a[0], a[1]));
        // memory safety: caller memory, read-only tensors, generators, ignored labels
        ops.add(a -> {
            DType t = DTYPES[rnd.nextInt(DTYPES.length)];
            return Tensor.borrow(someSegment(rnd.nextInt(64)), t, maybeHugeShape());
        });
        ops.add(a -> Tensor.copyOf(
                someSegment(rnd.nextInt(64)), DTYPES[rnd.nextInt(DTYPES.length)], Device.CPU, maybeHugeShape()));
        ops.add(a -> {
            a[0].writeTo(someSegment(a[0].numel() * 4));
            return null;
        });
        ops.add(a -> a[0].addInPlace(a[1]));
        ops.add(a -> a[0].requiresGrad(rnd.nextBoolean()));
        ops.add(a -> {
            a[0].zeroGrad();
            return null;
        });
        ops.add(a -> {
            try (Generator g = Generator.of(someDevice(), rnd.nextLong())) {
                Init.kaimingUniform(a[0], rnd.nextDouble(), g);
                return Tensor.rand(DTYPES[rnd.nextInt(DTYPES.length)], someDevice(), g, someShape());
            }
        });
        ops.add(a -> {
            try (Generator g = Generator.cpu(rnd.nextLong())) {
                return Tensor.randperm(smallInt(), someDevice(), g);
            }
        });
        ops.add(a -> Functional.crossEntropy(
                a[0],
                a[1].mul(rnd.nextInt(20) - 5).to(DType.INT64).reshape(-1),
                rnd.nextBoolean() ? -100 : smallInt()));
        return ops;
    }

    // A 4-d tensor with the same elements when the element count allows, to reach deeper conv/pool code.
    private Tensor fourD(Tensor t) {
        long n = t.numel();
        return n == 0 ? t : t.reshape(1, 1, 1, n);
    }
}
