package dev.torchffm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.Torch;
import dev.torchffm.nn.Linear;
import dev.torchffm.optim.SGD;
import org.junit.jupiter.api.Test;

/** Evaluation frees what it makes; hyper-parameters follow one set of rules with clear messages. */
class TrainApiTest {
    @Test
    void accuracyOutsideAScopeLeavesNoTensorBehind() {
        try (Linear net = new Linear(4, 3);
                Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 10, 4);
                Tensor y = Tensor.of(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0})) {
            long before = Torch.liveTensors();
            double acc = Evaluation.accuracy(net, x, y, 3);
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            assertEquals(before, Torch.liveTensors(), "live native tensors after accuracy()");
        }
    }

    @Test
    void sgdOptionsNameTheBadValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> SGD.Options.lr(-0.5));
        assertEquals("SGD learning rate must be a finite number >= 0, got -0.5", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> SGD.Options.lr(0.1).withMomentum(Double.NaN));
        assertEquals("SGD momentum must be a finite number >= 0, got NaN", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> SGD.Options.lr(0.1).withNesterov(true));
        assertTrue(e.getMessage().contains("momentum 0.0"), e.getMessage());
    }

    @Test
    void theTrainConfigUsesTheOptimizersRules() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(1, 8, -2, 0, 0, Device.CPU, false));
        assertEquals("SGD learning rate must be a finite number >= 0, got -2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(1, 8, 0.1, 0, -1, Device.CPU, false));
        assertEquals("SGD weight decay must be a finite number >= 0, got -1.0", e.getMessage());
        assertEquals(
                SGD.Options.lr(0.1).withMomentum(0.9), new TrainConfig(1, 8, 0.1, 0.9, 0, Device.CPU, false).sgd());
        assertThrows(NullPointerException.class, () -> new TrainConfig(1, 8, 0.1, 0, 0, null, false));
    }
}
