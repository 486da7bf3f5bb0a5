package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.torchffm.optim.GradClip;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient clipping by norm against torch.nn.utils.clip_grad_norm_ (src/test/python/gen_training_golden.py). */
class GradClipTest {
    @Test
    void matchesPytorch() throws IOException {
        for (JsonElement e : Golden.load("training.json").getAsJsonArray("clip_grad_norm")) {
            JsonObject c = e.getAsJsonObject();
            JsonArray before = c.getAsJsonArray("grads_before");
            JsonArray after = c.getAsJsonArray("grads_after");
            try (TensorScope scope = TensorScope.open()) {
                Tensor a = Tensor.zeros(
                        DType.FLOAT32, Device.CPU, Golden.shape(before.get(0).getAsJsonObject()));
                Tensor b = Tensor.zeros(
                        DType.FLOAT32, Device.CPU, Golden.shape(before.get(1).getAsJsonObject()));
                a.requiresGrad(true);
                b.requiresGrad(true);
                a.mul(Golden.tensor(before.get(0)))
                        .sum()
                        .add(b.mul(Golden.tensor(before.get(1))).sum())
                        .backward();
                double norm = GradClip.clipNorm(List.of(a, b), c.get("max_norm").getAsDouble());
                assertEquals(c.get("total_norm").getAsDouble(), norm, 1e-5);
                assertArrayEquals(
                        Golden.floats(after.get(0).getAsJsonObject().getAsJsonArray("data")),
                        a.grad().orElseThrow().toFloatArray(),
                        1e-6f);
                assertArrayEquals(
                        Golden.floats(after.get(1).getAsJsonObject().getAsJsonArray("data")),
                        b.grad().orElseThrow().toFloatArray(),
                        1e-6f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(List.of(), -1));
    }
}
