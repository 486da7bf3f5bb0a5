package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gives a Java exception with a clear message, and the JVM carries on. */
class BadInputTest {
    private TensorScope scope;

    @BeforeEach
    void open() {
        scope = TensorScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static void torchError(String fragment, Executable call) {
        TorchException e = assertThrows(TorchException.class, call);
        assertTrue(
                e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        assertEquals(TorchException.Kind.INVALID_ARGUMENT, e.kind());
    }

    private static Tensor floats(long... shape) {
        return Tensor.rand(DType.FLOAT32, Device.CPU, shape);
    }

    @Test
    void wrongShapes() {
        torchError("cannot be multiplied", () -> floats(2, 3).matmul(floats(4, 5)));
        torchError("cannot be multiplied", () -> Functional.linear(floats(2, 3), floats(4, 5), null));
        torchError("size of tensor a (3) must match", () -> floats(2, 3).add(floats(2, 4)));
        torchError("invalid for input of size", () -> floats(2, 3).reshape(4, 2));
    }

    @Test
    void wrongRanks() {
        torchError(
                "Expected 3D (unbatched) or 4D (batched) input",
                () -> Functional.conv2d(floats(5, 5), floats(1, 1, 3, 3), null, 1, 0));
        torchError("weight", () -> Functional.conv2d(floats(1, 1, 5, 5), floats(3, 3), null, 1, 0));
        torchError(
                "cross_entropy needs logits of shape [N, C]",
                () -> Functional.crossEntropy(floats(4), Tensor.of(new long[] {1}, 1)));
        torchError(
                "one-element",
                () -> floats(2, 2).requiresGrad(true).sum().mul(floats(2)).backward());
    }

    @Test
    void wrongDTypes() {
        torchError("int64 labels", () -> Functional.crossEntropy(floats(2, 3), floats(2)));
        assertThrows(IllegalArgumentException.class, () -> floats(2).toLongArray());
        torchError("mean", () -> Tensor.of(new long[] {1, 2}, 2).mean());
    }

    @Test
    void labelOutOfRange() {
        torchError("out of bounds", () -> Functional.crossEntropy(floats(2, 3), Tensor.of(new long[] {0, 3}, 2)));
        torchError("out of bounds", () -> Functional.crossEntropy(floats(2, 3), Tensor.of(new long[] {-5, 0}, 2)));
        torchError(
                "cross_entropy needs labels of shape [2]",
                () -> Functional.crossEntropy(floats(2, 3), Tensor.of(new long[] {0}, 1)));
    }

    @Test
    void trustedIndicesStillFailCleanlyOnTheCpu() {
        try (TrustedIndices t = Torch.trustIndices()) {
            torchError("out of bounds", () -> Functional.crossEntropy(floats(2, 3), Tensor.of(new long[] {0, 3}, 2)));
            torchError("index out of range", () -> floats(4).indexSelect(0, Tensor.of(new long[] {9}, 1)));
        }
    }

    @Test
    void nullAndClosedTensors() {
        assertThrows(NullPointerException.class, () -> floats(2).add((Tensor) null));
        assertThrows(NullPointerException.class, () -> Functional.conv2d(null, floats(1, 1, 3, 3), null, 1, 0));
        Tensor t = floats(3);
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::sigmoid);
        assertTrue(e.getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> floats(3).add(t));
        assertThrows(IllegalStateException.class, t::shape);
        t.close(); // double close is harmless
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, Device.CPU, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> Functional.avgPool2d(floats(1, 1, 4, 4), 0, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Functional.conv2d(floats(1, 1, 4, 4), floats(1, 1, 3, 3), null, 0, 0));
        torchError("thread count", () -> Torch.setNumThreads(0));
        torchError("Dimension out of range", () -> floats(2, 3).argmax(5, false));
        torchError("item() needs a tensor with one element", () -> floats(2).item());
        torchError(
                "data holds 8 bytes but the tensor needs 12",
                () -> Tensor.copyOf(java.lang.foreign.Arena.ofAuto().allocate(8), DType.FLOAT32, Device.CPU, 3));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(floats(2)), SGD.Options.lr(-1)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), SGD.Options.lr(0.1)));
    }

    @Test
    void unavailableCudaDevice() {
        int count = Torch.cudaDeviceCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.cuda(count));
        assertTrue(e.getMessage().contains("CUDA device " + count + " is not available"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
    }

    @Test
    void mixedDevicesAreRejectedByTheShimWhenCudaIsAbsent() {
        // The shim validates device indices itself, so a forged CUDA device never reaches LibTorch.
        Device forged = new Device(Device.Type.CUDA, 7);
        torchError("CUDA device 7 is not available", () -> floats(2).to(forged));
        torchError("CUDA device 7 is not available", () -> Tensor.zeros(DType.FLOAT32, forged, 2));
    }

    @Test
    void cudaGraphsNeedACudaDevice() {
        assertThrows(IllegalArgumentException.class, () -> new CudaGraph(Device.CPU));
        if (!Torch.cudaAvailable()) {
            torchError("CUDA", () -> new CudaGraph(new Device(Device.Type.CUDA, 0)));
        }
    }

    @Test
    void theJvmCarriesOnAfterErrors() {
        for (int i = 0; i < 200; i++) {
            assertThrows(TorchException.class, () -> floats(2, 3).matmul(floats(2, 3)));
        }
        assertEquals(6.0, Tensor.ones(DType.FLOAT32, Device.CPU, 2, 3).sum().item());
    }
}
