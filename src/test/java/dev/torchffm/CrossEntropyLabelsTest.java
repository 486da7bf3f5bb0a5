package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Labels of cross-entropy: 0..C-1 on every device, -100 included in "out of range" unless it is
 * named as {@code ignoreIndex}. Expected values are computed here from log-softmax by hand.
 */
class CrossEntropyLabelsTest {
    private TensorScope scope;
    private Tensor logits;

    @BeforeEach
    void open() {
        scope = TensorScope.open();
        logits = Tensor.of(new float[] {1, 2, 3, 0, 0, 0, 2, 1, 0}, 3, 3);
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static double nll(double[] row, int label) {
        double max = Math.max(row[0], Math.max(row[1], row[2]));
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v - max);
        }
        return -(row[label] - max - Math.log(sum));
    }

    private static final double[][] ROWS = {{1, 2, 3}, {0, 0, 0}, {2, 1, 0}};

    @Test
    void minus100IsOutOfRangeByDefault() {
        for (long bad : new long[] {-100, -1, 3, 100, Long.MIN_VALUE, Long.MAX_VALUE}) {
            TorchException e = assertThrows(
                    TorchException.class, () -> Functional.crossEntropy(logits, Tensor.of(new long[] {0, bad, 1}, 3)));
            assertTrue(e.getMessage().contains("label " + bad + " is out of bounds"), e.getMessage());
            assertEquals(TorchException.Kind.INVALID_ARGUMENT, e.kind());
        }
    }

    @Test
    void trustedIndicesDoNotLetMinus100ThroughOnTheCpu() {
        try (TrustedIndices t = Torch.trustIndices()) {
            assertThrows(
                    TorchException.class, () -> Functional.crossEntropy(logits, Tensor.of(new long[] {0, -100, 1}, 3)));
        }
    }

    @Test
    void inRangeLabelsGiveTheMeanLoss() {
        double expected = (nll(ROWS[0], 2) + nll(ROWS[1], 0) + nll(ROWS[2], 1)) / 3;
        assertEquals(
                expected,
                Functional.crossEntropy(logits, Tensor.of(new long[] {2, 0, 1}, 3))
                        .item(),
                1e-6);
    }

    @Test
    void ignoreIndexSkipsThoseLabels() {
        double expected = (nll(ROWS[0], 2) + nll(ROWS[2], 1)) / 2;
        assertEquals(
                expected,
                Functional.crossEntropy(logits, Tensor.of(new long[] {2, -100, 1}, 3), -100)
                        .item(),
                1e-6);
        assertEquals(
                expected,
                Functional.crossEntropy(logits, Tensor.of(new long[] {2, 7, 1}, 3), 7)
                        .item(),
                1e-6);
        // An ignore index inside 0..C-1 skips that class, as in PyTorch.
        assertEquals(
                nll(ROWS[0], 2),
                Functional.crossEntropy(logits, Tensor.of(new long[] {2, 0, 0}, 3), 0)
                        .item(),
                1e-6);
        assertTrue(Double.isNaN(Functional.crossEntropy(logits, Tensor.of(new long[] {-100, -100, -100}, 3), -100)
                .item()));
    }

    @Test
    void otherOutOfRangeLabelsAreStillRefusedWhenIgnoring() {
        for (long bad : new long[] {-1, 3, -101}) {
            TorchException e = assertThrows(
                    TorchException.class,
                    () -> Functional.crossEntropy(logits, Tensor.of(new long[] {-100, bad, 1}, 3), -100));
            assertTrue(e.getMessage().contains("or equal ignore_index -100"), e.getMessage());
        }
    }
}
