package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** What a newcomer reaches for first: array factories, printing, the copy operations. */
class TensorApiTest {
    @Test
    void anArrayWithoutAShapeIsOneDimensional() {
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(new long[] {3}, Tensor.of(new float[] {1, 2, 3}).shape());
            assertArrayEquals(new long[] {2}, Tensor.of(new double[] {1, 2}).shape());
            assertArrayEquals(new long[] {4}, Tensor.of(new long[] {1, 2, 3, 4}).shape());
            assertArrayEquals(new long[] {1}, Tensor.of(new int[] {7}).shape());
            assertArrayEquals(
                    new long[] {2}, Tensor.of(new byte[] {1, 0}, DType.BOOL).shape());
            assertArrayEquals(
                    new long[0],
                    Tensor.of(new float[] {5}, new long[0]).shape(),
                    "an explicit empty shape is a scalar");
            assertEquals(0, Tensor.scalar(2.5f).dim());
            assertArrayEquals(
                    new long[] {2, 2}, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).shape());
        }
    }

    @Test
    void toStringShowsTheValuesAsPyTorchDoes() {
        // Each expected string is what Python PyTorch 1.13 prints for the same tensor.
        try (TensorScope scope = TensorScope.open()) {
            assertEquals(
                    "tensor([ 1.0000,  2.5000, -3.0000])",
                    Tensor.of(new float[] {1, 2.5f, -3}).toString());
            assertEquals(
                    "tensor([[1, 2],\n        [3, 4]])",
                    Tensor.of(new long[] {1, 2, 3, 4}, 2, 2).toString());
            assertEquals("tensor(2.5000)", Tensor.scalar(2.5f).toString());
            assertEquals(
                    "tensor([1., 2.], dtype=torch.float64)",
                    Tensor.of(new double[] {1, 2}).toString());
            assertEquals(
                    "tensor([ True, False])",
                    Tensor.of(new byte[] {1, 0}, DType.BOOL).toString());
            assertEquals(
                    "tensor([0.5000], requires_grad=True)",
                    Tensor.of(new float[] {0.5f}).requiresGrad(true).toString());
            assertEquals(
                    "tensor([], size=(0, 3))",
                    Tensor.zeros(DType.FLOAT32, Device.CPU, 0, 3).toString());
            assertEquals(
                    "tensor([0, 0, 0,  ..., 0, 0, 0])",
                    Tensor.zeros(DType.INT64, Device.CPU, 2000).toString());
            float[] counting = new float[24];
            for (int i = 0; i < counting.length; i++) {
                counting[i] = i;
            }
            assertEquals("""
                    tensor([[[ 0.,  1.,  2.,  3.],
                             [ 4.,  5.,  6.,  7.],
                             [ 8.,  9., 10., 11.]],

                            [[12., 13., 14., 15.],
                             [16., 17., 18., 19.],
                             [20., 21., 22., 23.]]])""", Tensor.of(counting, 2, 3, 4).toString());
            assertEquals("""
                    tensor([[0, 0, 0,  ..., 0, 0, 0],
                            [0, 0, 0,  ..., 0, 0, 0],
                            [0, 0, 0,  ..., 0, 0, 0],
                            ...,
                            [0, 0, 0,  ..., 0, 0, 0],
                            [0, 0, 0,  ..., 0, 0, 0],
                            [0, 0, 0,  ..., 0, 0, 0]])""", Tensor.zeros(DType.INT64, Device.CPU, 100, 100).toString());
        }
        Tensor closed = Tensor.of(new float[] {1});
        closed.close();
        assertEquals("tensor(closed)", closed.toString());
    }

    @Test
    void toStringFreesWhatItMade() {
        long before = Torch.liveTensors();
        try (Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 40, 40)) {
            t.toString();
            assertEquals(before + 1, Torch.liveTensors());
        }
    }

    @Test
    void theCopyOperationsHaveDistinctNames() {
        try (TensorScope scope = TensorScope.open();
                Arena arena = Arena.ofConfined()) {
            Tensor a = Tensor.of(new float[] {1, 2, 3});
            Tensor deep = a.deepCopy();
            a.assign(Tensor.of(new float[] {4, 5, 6}));
            assertArrayEquals(new float[] {1, 2, 3}, deep.toFloatArray(), "deepCopy has its own storage");
            assertArrayEquals(new float[] {4, 5, 6}, a.toFloatArray(), "assign overwrites in place");
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, 3);
            a.writeTo(out);
            assertArrayEquals(new float[] {4, 5, 6}, out.toArray(ValueLayout.JAVA_FLOAT));
            assertArrayEquals(
                    new float[] {4, 5, 6},
                    Tensor.copyOf(out, DType.FLOAT32, Device.CPU, 3).toFloatArray());
        }
    }

    @Test
    void theNewOpsRejectBadInputWithClearErrors() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor ints = Tensor.of(new long[] {1, 2});
            Tensor floats = Tensor.of(new float[] {1, 2, 3});
            assertThrows(TorchException.class, () -> ints.softmax(0));
            assertThrows(TorchException.class, () -> floats.softmax(3));
            assertThrows(TorchException.class, () -> floats.transpose(0, 1));
            assertThrows(TorchException.class, () -> floats.permute(0, 0));
            assertThrows(IllegalArgumentException.class, () -> Tensor.cat(java.util.List.of(), 0));
            assertThrows(NullPointerException.class, () -> Tensor.stack(java.util.Arrays.asList(floats, null), 0));
            assertThrows(
                    TorchException.class, () -> Tensor.stack(java.util.List.of(floats, ints.to(DType.FLOAT32)), 0));
            assertThrows(TorchException.class, () -> Tensor.randn(DType.INT64, Device.CPU, 2));
            var e = assertThrows(TorchException.class, () -> Functional.mseLoss(floats, Tensor.of(new float[] {1, 2})));
            assertTrue(e.getMessage().contains("same shape"), e.getMessage());
            assertThrows(TorchException.class, () -> Functional.binaryCrossEntropyWithLogits(ints, ints));
            assertArrayEquals(new float[] {0.5f, 1, 1.5f}, floats.div(2).toFloatArray());
            assertArrayEquals(
                    new long[] {3, 1, 2},
                    Tensor.zeros(DType.FLOAT32, Device.CPU, 1, 2, 3)
                            .permute(2, 0, 1)
                            .shape());
        }
    }

    @Test
    void randnDrawsFromAGeneratorAsFromTheSeededDefault() {
        try (TensorScope scope = TensorScope.open();
                Generator g = Generator.cpu(7)) {
            Torch.manualSeed(7);
            float[] fromDefault = Tensor.randn(DType.FLOAT32, Device.CPU, 2, 3).toFloatArray();
            assertArrayEquals(
                    fromDefault,
                    Tensor.randn(DType.FLOAT32, Device.CPU, g, 2, 3).toFloatArray());
            assertFalse(
                    java.util.Arrays.equals(
                            fromDefault,
                            Tensor.randn(DType.FLOAT32, Device.CPU, g, 2, 3).toFloatArray()),
                    "the generator advanced");
        }
    }
}
