package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Same seed, same numbers as PyTorch (src/test/python/gen_init_golden.py). */
class InitTest {
    @Test
    void initialisersDrawTheSameNumbersAsPyTorch() throws Exception {
        JsonObject golden = Golden.load("init.json");
        try (TensorScope scope = TensorScope.open()) {
            Torch.manualSeed(golden.get("seed").getAsLong());
            Tensor w = Tensor.zeros(DType.FLOAT32, Device.CPU, 6, 1, 5, 5);
            Init.kaimingUniform(w, Math.sqrt(5));
            assertArrayEquals(
                    Golden.floats(golden.getAsJsonObject("kaiming").getAsJsonArray("data")), w.toFloatArray());
            Tensor b = Tensor.zeros(DType.FLOAT32, Device.CPU, 6);
            Init.uniform(b, -0.2, 0.2);
            assertArrayEquals(
                    Golden.floats(golden.getAsJsonObject("uniform").getAsJsonArray("data")), b.toFloatArray());
            Init.xavierUniform(w, 1.0);
            assertArrayEquals(Golden.floats(golden.getAsJsonObject("xavier").getAsJsonArray("data")), w.toFloatArray());
            assertArrayEquals(
                    Golden.longs(golden.getAsJsonArray("randperm")),
                    Tensor.randperm(10, Device.CPU).toLongArray());
        }
    }
}
