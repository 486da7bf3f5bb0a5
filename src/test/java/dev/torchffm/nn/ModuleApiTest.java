package dev.torchffm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import org.junit.jupiter.api.Test;

/** Getters hand out handles of the caller's own; to/train/eval keep the module's type. */
class ModuleApiTest {
    @Test
    void closingAGetterResultLeavesTheParameterIntact() {
        try (Linear linear = new Linear(3, 2)) {
            long live = Torch.liveTensors();
            try (Tensor w = linear.weight();
                    Tensor b = linear.bias()) {
                assertEquals(2, w.size(0));
                assertEquals(2, b.size(0));
            }
            assertEquals(live, Torch.liveTensors(), "the getter's handles are gone");
            assertFalse(linear.namedParameters().get("weight").isClosed(), "the parameter is not");
            try (TensorScope scope = TensorScope.open()) {
                assertEquals(
                        2,
                        linear.forward(Tensor.ones(dev.torchffm.DType.FLOAT32, Device.CPU, 1, 3))
                                .size(1));
            }
        }
        try (Conv2d conv = new Conv2d(1, 2, 3);
                Tensor w = conv.weight()) {
            w.close();
            assertFalse(conv.namedParameters().get("weight").isClosed());
        }
    }

    @Test
    void toTrainAndEvalReturnTheSubtype() {
        try (Sequential net = new Sequential(new Linear(2, 2), new ReLU())
                        .to(Device.CPU)
                        .eval();
                Linear linear = new Linear(2, 2).to(Device.CPU).train();
                Conv2d conv = new Conv2d(1, 1, 1).eval()) {
            assertFalse(net.isTraining());
            assertFalse(conv.isTraining());
            assertSame(linear, linear.eval());
        }
    }
}
