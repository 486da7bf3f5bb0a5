package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.nn.Dropout;
import org.junit.jupiter.api.Test;

/** Dropout: the identity in eval mode; in training, the expected fraction kept and scaled by 1 / (1 - p). */
class DropoutTest {
    private static final int N = 200_000;

    @Test
    void evalIsTheIdentity() {
        try (Dropout d = new Dropout(0.4);
                TensorScope scope = TensorScope.open()) {
            d.eval();
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 3, 7);
            assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray());
        }
    }

    @Test
    void trainingKeepsTheExpectedFraction() {
        double p = 0.3;
        try (Dropout d = new Dropout(p);
                TensorScope scope = TensorScope.open()) {
            assertTrue(d.isTraining());
            float[] y = d.forward(Tensor.ones(DType.FLOAT32, Device.CPU, N)).toFloatArray();
            int kept = 0;
            for (float v : y) {
                if (v != 0) {
                    assertEquals(1 / (1 - p), v, 1e-6);
                    kept++;
                }
            }
            // Binomial(N, 0.7): the standard deviation of the kept fraction is about 0.001.
            assertEquals(1 - p, (double) kept / N, 0.006);
        }
    }

    @Test
    void edgeProbabilities() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 100);
            try (Dropout none = new Dropout(0);
                    Dropout all = new Dropout(1)) {
                assertArrayEquals(x.toFloatArray(), none.forward(x).toFloatArray());
                assertEquals(0.0, all.forward(x).sum().item());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }
}
