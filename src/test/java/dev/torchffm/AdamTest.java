package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.torchffm.optim.Adam;
import dev.torchffm.optim.AdamOptions;
import dev.torchffm.optim.AdamW;
import dev.torchffm.optim.Optimizer;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Adam and AdamW arithmetic against torch.optim (src/test/python/gen_training_golden.py). */
class AdamTest {
    static Stream<JsonObject> cases() throws IOException {
        return Golden.load("training.json").getAsJsonArray("adam").asList().stream()
                .map(JsonElement::getAsJsonObject);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorchOptim(JsonObject c) {
        float[] initial = Golden.floats(c.getAsJsonArray("initial"));
        float[] grad = Golden.floats(c.getAsJsonArray("grad"));
        var options = new AdamOptions(
                c.get("lr").getAsDouble(),
                c.get("beta1").getAsDouble(),
                c.get("beta2").getAsDouble(),
                c.get("eps").getAsDouble(),
                c.get("weight_decay").getAsDouble(),
                c.get("amsgrad").getAsBoolean());
        try (TensorScope scope = TensorScope.open();
                Tensor p = Tensor.of(initial, initial.length).keep().requiresGrad(true);
                Optimizer opt = c.get("kind").getAsString().equals("adam")
                        ? new Adam(List.of(p), options)
                        : new AdamW(List.of(p), options)) {
            JsonArray steps = c.getAsJsonArray("steps");
            for (int i = 0; i < steps.size(); i++) {
                opt.zeroGrad();
                try (TensorScope step = TensorScope.open()) {
                    Tensor g = Tensor.of(grad, grad.length).mul(i + 1);
                    p.mul(g).sum().backward(); // p.grad = (i + 1) * grad, as the generator's
                }
                opt.step();
                assertArrayEquals(
                        Golden.floats(steps.get(i).getAsJsonArray()), p.toFloatArray(), 1e-6f, "step " + (i + 1));
            }
        }
    }

    @Test
    void badHyperParametersAndClosedUse() {
        assertThrows(IllegalArgumentException.class, () -> AdamOptions.lr(-1));
        assertThrows(IllegalArgumentException.class, () -> AdamOptions.lr(0.1).withBetas(0.9, 1.0));
        assertThrows(IllegalArgumentException.class, () -> AdamOptions.lr(0.1).withWeightDecay(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), AdamOptions.lr(0.1)));
        try (Tensor p = Tensor.zeros(DType.FLOAT32, Device.CPU, 2).requiresGrad(true)) {
            AdamW opt = new AdamW(List.of(p), AdamW.defaults(0.1));
            assertThrows(TorchException.class, () -> opt.lr(-1));
            opt.close();
            assertThrows(IllegalStateException.class, opt::step);
        }
    }
}
