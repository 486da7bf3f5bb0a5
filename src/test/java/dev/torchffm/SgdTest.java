package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.torchffm.optim.SGD;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD arithmetic against torch.optim.SGD (src/test/python/gen_sgd_golden.py). */
class SgdTest {
    static Stream<JsonObject> cases() throws IOException {
        return Golden.load("sgd.json").getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorchOptimSgd(JsonObject c) {
        float[] initial = Golden.floats(c.getAsJsonArray("initial"));
        float[] grad = Golden.floats(c.getAsJsonArray("grad"));
        var options = new SGD.Options(
                c.get("lr").getAsDouble(),
                c.get("momentum").getAsDouble(),
                c.get("dampening").getAsDouble(),
                c.get("weight_decay").getAsDouble(),
                c.get("nesterov").getAsBoolean());
        try (TensorScope scope = TensorScope.open();
                Tensor p = Tensor.of(initial, initial.length).keep().requiresGrad(true);
                Tensor g = Tensor.of(grad, grad.length).keep();
                SGD sgd = new SGD(List.of(p), options)) {
            for (JsonElement expected : c.getAsJsonArray("steps")) {
                sgd.zeroGrad();
                try (TensorScope step = TensorScope.open()) {
                    p.mul(g).sum().backward(); // makes p.grad exactly g
                }
                sgd.step();
                assertArrayEquals(Golden.floats(expected.getAsJsonArray()), p.toFloatArray(), 1e-6f);
            }
        }
    }
}
