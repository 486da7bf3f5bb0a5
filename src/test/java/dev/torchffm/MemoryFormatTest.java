package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Channels-last layouts: same values, new strides; parameters re-laid out in place keep their identity. */
class MemoryFormatTest {
    @Test
    void contiguousKeepsValuesAndChangesLayout() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 2, 3, 4, 5);
            Tensor y = x.contiguous(MemoryFormat.CHANNELS_LAST);
            assertArrayEquals(x.shape(), y.shape());
            assertArrayEquals(x.toFloatArray(), y.toFloatArray());
            assertTrue(y.isContiguous(MemoryFormat.CHANNELS_LAST));
            assertFalse(y.isContiguous(MemoryFormat.CONTIGUOUS));
            assertTrue(x.isContiguous(MemoryFormat.CONTIGUOUS));
            assertTrue(y.contiguous(MemoryFormat.CONTIGUOUS).isContiguous(MemoryFormat.CONTIGUOUS));
        }
    }

    @Test
    void channelsLastNeedsFourDimensions() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 3, 4, 5);
            assertThrows(IllegalArgumentException.class, () -> x.contiguous(MemoryFormat.CHANNELS_LAST));
            assertThrows(IllegalArgumentException.class, () -> x.setMemoryFormat(MemoryFormat.CHANNELS_LAST));
            assertThrows(IllegalArgumentException.class, () -> x.isContiguous(MemoryFormat.CHANNELS_LAST));
            assertThrows(NullPointerException.class, () -> x.contiguous(null));
            assertTrue(x.isContiguous(MemoryFormat.CONTIGUOUS));
        }
    }

    @Test
    void setMemoryFormatKeepsTheParameterAnOptimizerHolds() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.rand(DType.FLOAT32, Device.CPU, 6, 3, 5, 5).requiresGrad(true);
            float[] before = w.toFloatArray();
            try (SGD sgd = new SGD(List.of(w), SGD.Options.lr(0.5))) {
                w.setMemoryFormat(MemoryFormat.CHANNELS_LAST);
                assertTrue(w.isContiguous(MemoryFormat.CHANNELS_LAST));
                assertTrue(w.requiresGrad());
                assertArrayEquals(before, w.toFloatArray());
                w.sum().backward(); // gradient 1 everywhere
                sgd.step(); // the optimizer updates the re-laid-out tensor: w - 0.5
                float[] after = w.toFloatArray();
                for (int i = 0; i < before.length; i++) {
                    before[i] -= 0.5f;
                }
                assertArrayEquals(before, after, 1e-6f);
                w.setMemoryFormat(MemoryFormat.CONTIGUOUS);
                assertTrue(w.isContiguous(MemoryFormat.CONTIGUOUS));
                assertArrayEquals(after, w.toFloatArray());
            }
        }
    }

    // A weight with one input channel is contiguous in both formats; as in PyTorch, only re-laying it
    // out makes the convolution over a one-channel batch run (and answer) in channels-last.
    @Test
    void setMemoryFormatRelaysOutAWeightWithOneInputChannel() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.rand(DType.FLOAT32, Device.CPU, 6, 1, 5, 5).requiresGrad(true);
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 4, 1, 12, 12);
            float[] nchw = Functional.conv2d(x, w, null, 1, 2).toFloatArray();
            w.setMemoryFormat(MemoryFormat.CHANNELS_LAST);
            Tensor y = Functional.conv2d(x, w, null, 1, 2);
            assertTrue(y.isContiguous(MemoryFormat.CHANNELS_LAST));
            assertFalse(y.isContiguous(MemoryFormat.CONTIGUOUS));
            assertArrayEquals(nchw, y.toFloatArray(), 1e-5f);
            w.setMemoryFormat(MemoryFormat.CONTIGUOUS);
            assertTrue(Functional.conv2d(x, w, null, 1, 2).isContiguous(MemoryFormat.CONTIGUOUS));
        }
    }

    // Strided so that no format is contiguous (a permuted view): re-laid out whatever it suggests.
    @Test
    void setMemoryFormatMakesAStridedTensorContiguous() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 2, 5, 4, 3).permute(0, 3, 2, 1);
            float[] before = x.toFloatArray();
            assertFalse(x.isContiguous(MemoryFormat.CONTIGUOUS));
            x.setMemoryFormat(MemoryFormat.CONTIGUOUS);
            assertTrue(x.isContiguous(MemoryFormat.CONTIGUOUS));
            assertArrayEquals(before, x.toFloatArray());
        }
    }

    @Test
    void clearGradDropsGradientsSoTheNextBackwardStartsAfresh() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
            try (SGD sgd = new SGD(List.of(w), SGD.Options.lr(0.1))) {
                w.mul(2).sum().backward();
                assertTrue(w.hasGrad());
                sgd.clearGrad();
                assertFalse(w.hasGrad());
                w.mul(3).sum().backward();
                assertArrayEquals(new float[] {3, 3, 3}, w.grad().orElseThrow().toFloatArray());
            }
        }
    }
}
