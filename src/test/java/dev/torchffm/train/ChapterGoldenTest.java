package dev.torchffm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same numbers: the chapter's first epoch reproduces Python PyTorch's figures on the same
 * LibTorch (golden file made by bench/python/golden_epoch.py with seed 42 and 1 thread).
 */
class ChapterGoldenTest {
    private static FashionMnist data;
    private static JsonObject golden;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        Path dir = Path.of(System.getProperty("torchffm.golden.dir", "src/test/resources/golden"));
        golden = JsonParser.parseString(Files.readString(dir.resolve("epoch1_seed42.json")))
                .getAsJsonObject();
        threadsBefore = Torch.numThreads();
        Torch.setNumThreads(golden.get("threads").getAsInt()); // the reduction order depends on the thread count
        data = FashionMnist.load(FashionMnist.DEFAULT_DIR, Device.CPU);
    }

    @AfterAll
    static void close() {
        if (data != null) {
            data.close();
            Torch.setNumThreads(threadsBefore);
        }
    }

    @Test
    void initialisationAndFirstBatchMatchPyTorch() {
        Torch.manualSeed(golden.get("seed").getAsLong());
        try (Sequential net = LeNet.classic();
                TensorScope scope = TensorScope.open()) {
            JsonObject sums = golden.getAsJsonObject("params_after_init");
            net.namedParameters()
                    .forEach((name, p) -> assertEquals(
                            sums.get(name + "_sum").getAsDouble(),
                            p.to(dev.torchffm.DType.FLOAT64).sum().item(),
                            1e-9,
                            name));
            Tensor perm = Tensor.randperm(data.trainImages().size(0), Device.CPU);
            Tensor idx = perm.narrow(0, 0, golden.get("batch_size").getAsLong());
            Tensor loss = Functional.crossEntropy(
                    net.forward(data.trainImages().indexSelect(0, idx)),
                    data.trainLabels().indexSelect(0, idx));
            assertEquals(golden.get("first_batch_loss").getAsDouble(), loss.item(), 1e-6);
        }
    }

    @Test
    void firstEpochMatchesPyTorch() {
        TrainConfig config = new TrainConfig(
                        1, golden.get("batch_size").getAsInt(), golden.get("lr").getAsDouble(), 0, 0, Device.CPU, false)
                .reference();
        Torch.manualSeed(golden.get("seed").getAsLong());
        try (Sequential net = LeNet.classic()) {
            List<EpochStats> history = new Trainer(config, Progress.NONE).fit(net, data);
            EpochStats e = history.get(0);
            assertEquals(golden.get("loss").getAsDouble(), e.loss(), 1e-6);
            assertEquals(golden.get("train_acc").getAsDouble(), e.trainAcc(), 1e-9);
            assertEquals(golden.get("test_acc").getAsDouble(), e.testAcc(), 1e-9);
        }
    }
}
