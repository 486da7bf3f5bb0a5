package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.torchffm.optim.CosineAnnealingLR;
import dev.torchffm.optim.LrScheduler;
import dev.torchffm.optim.SGD;
import dev.torchffm.optim.StepLR;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** StepLR and CosineAnnealingLR against torch.optim.lr_scheduler (src/test/python/gen_training_golden.py). */
class LrSchedulerTest {
    private static void check(String name, Function<SGD, LrScheduler> make) throws IOException {
        JsonObject g = Golden.load("training.json").getAsJsonObject("schedules").getAsJsonObject(name);
        try (Tensor p = Tensor.zeros(DType.FLOAT32, Device.CPU, 1).requiresGrad(true);
                SGD sgd = new SGD(List.of(p), SGD.Options.lr(g.get("base_lr").getAsDouble()))) {
            LrScheduler schedule = make.apply(sgd);
            JsonArray lrs = g.getAsJsonArray("lrs");
            for (int i = 0; i < lrs.size(); i++) {
                schedule.step();
                assertEquals(lrs.get(i).getAsDouble(), sgd.lr(), 1e-12, name + " after step " + (i + 1));
            }
            assertEquals(lrs.size(), schedule.steps());
        }
    }

    @Test
    void stepMatchesPytorch() throws IOException {
        check("step", sgd -> new StepLR(sgd, 3, 0.5));
    }

    @Test
    void cosineMatchesPytorch() throws IOException {
        check("cosine", sgd -> new CosineAnnealingLR(sgd, 7, 0.01));
    }

    @Test
    void badArguments() {
        try (Tensor p = Tensor.zeros(DType.FLOAT32, Device.CPU, 1).requiresGrad(true);
                SGD sgd = new SGD(List.of(p), SGD.Options.lr(0.1))) {
            assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd, 0, 0.5));
            assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd, 5, -1));
        }
    }
}
