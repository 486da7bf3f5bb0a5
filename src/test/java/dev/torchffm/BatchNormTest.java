package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.torchffm.nn.BatchNorm2d;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BatchNorm2d against torch.nn.BatchNorm2d (src/test/python/gen_training_golden.py). */
class BatchNormTest {
    static JsonObject golden;

    @BeforeAll
    static void load() throws IOException {
        golden = Golden.load("training.json").getAsJsonObject("batch_norm");
    }

    private static BatchNorm2d layer() {
        BatchNorm2d bn = new BatchNorm2d(
                3, golden.get("eps").getAsDouble(), golden.get("momentum").getAsDouble());
        try (TensorScope scope = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            bn.namedParameters().get("weight").assign(Golden.tensor(golden.get("weight")));
            bn.namedParameters().get("bias").assign(Golden.tensor(golden.get("bias")));
        }
        return bn;
    }

    private static float[] floats(JsonObject o, String key) {
        return Golden.floats(o.getAsJsonObject(key).getAsJsonArray("data"));
    }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        JsonObject train = golden.getAsJsonObject("train");
        try (BatchNorm2d bn = layer();
                TensorScope scope = TensorScope.open()) {
            Tensor x1 = Golden.tensor(train.get("x1")).requiresGrad(true);
            Tensor y1 = bn.forward(x1);
            assertArrayEquals(floats(train, "y1"), y1.toFloatArray(), 1e-5f);
            y1.mul(Golden.tensor(train.get("g"))).sum().backward();
            assertArrayEquals(floats(train, "x1_grad"), x1.grad().orElseThrow().toFloatArray(), 1e-5f);
            assertArrayEquals(
                    floats(train, "weight_grad"),
                    bn.namedParameters().get("weight").grad().orElseThrow().toFloatArray(),
                    1e-5f);
            assertArrayEquals(
                    floats(train, "bias_grad"),
                    bn.namedParameters().get("bias").grad().orElseThrow().toFloatArray(),
                    1e-5f);
            bn.forward(Golden.tensor(train.get("x2")));
            assertArrayEquals(floats(train, "running_mean"), bn.runningMean().toFloatArray(), 1e-6f);
            assertArrayEquals(floats(train, "running_var"), bn.runningVar().toFloatArray(), 1e-6f);
            assertEquals(train.get("num_batches_tracked").getAsLong(), (long)
                    bn.stateDict().get("num_batches_tracked").item());
        }
    }

    @Test
    void evalUsesRunningStatisticsAndChangesNothing() {
        JsonObject train = golden.getAsJsonObject("train");
        JsonObject eval = golden.getAsJsonObject("eval");
        try (BatchNorm2d bn = layer();
                TensorScope scope = TensorScope.open()) {
            bn.forward(Golden.tensor(train.get("x1")));
            bn.forward(Golden.tensor(train.get("x2")));
            bn.eval();
            float[] mean = bn.runningMean().toFloatArray();
            Tensor y = bn.forward(Golden.tensor(eval.get("x")));
            assertArrayEquals(floats(eval, "y"), y.toFloatArray(), 1e-5f);
            assertArrayEquals(mean, bn.runningMean().toFloatArray());
            assertEquals(2.0, bn.stateDict().get("num_batches_tracked").item());
        }
    }

    @Test
    void stateDictHasPytorchsNamesAndOnlyParametersAreTrainable() {
        List<String> keys = new ArrayList<>();
        golden.getAsJsonArray("state_dict_keys").forEach(k -> keys.add(k.getAsString()));
        try (BatchNorm2d bn = new BatchNorm2d(3)) {
            assertEquals(keys, List.copyOf(bn.stateDict().keySet()));
            assertEquals(
                    List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
            assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
            assertEquals(0, bn.stateDict().get("num_batches_tracked").dim());
        }
    }

    @Test
    void badInput() {
        try (BatchNorm2d bn = new BatchNorm2d(3);
                TensorScope scope = TensorScope.open()) {
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> bn.forward(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 4, 5, 5)));
            assertEquals("BatchNorm2d(3) expects [N, 3, H, W], got [2, 4, 5, 5]", e.getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3)));
            // One value per channel has no variance: LibTorch's error, as in PyTorch.
            assertThrows(TorchException.class, () -> bn.forward(Tensor.zeros(DType.FLOAT32, Device.CPU, 1, 3, 1, 1)));
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3, 1e-5, 1.5));
    }
}
