package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.data.Batch;
import dev.torchffm.data.DataLoader;
import dev.torchffm.data.Dataset;
import dev.torchffm.data.Idx;
import dev.torchffm.nn.BatchNorm2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Dropout;
import dev.torchffm.nn.Flatten;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.MaxPool2d;
import dev.torchffm.nn.ReLU;
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.AdamW;
import dev.torchffm.optim.CosineAnnealingLR;
import dev.torchffm.optim.GradClip;
import dev.torchffm.optim.LrScheduler;
import dev.torchffm.serialize.StateDict;
import dev.torchffm.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code README.md shows, compiled and run here; {@link #readmeQuotesThisFile()} fails when the
 * README's copy differs from the code between the README markers below.
 */
class ReadmeExamplesTest {
    @TempDir
    Path dir;

    @Test
    void runAModelTrainedInPython() throws Exception {
        assumeTrue(ScriptModuleTest.pythonTorch(), "python3-torch is not installed");
        Process p = new ProcessBuilder("/usr/bin/python3", "src/test/python/gen_script_models.py", dir.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        Path modelFile = dir.resolve("cnn_scripted.pt");
        // README: run
        try (ScriptModule model = ScriptModule.load(modelFile, Device.CPU);
                TensorScope scope = TensorScope.open()) {
            Tensor images = Tensor.rand(DType.FLOAT32, Device.CPU, 8, 1, 28, 28);
            Tensor logits = model.forward(images);             // [8, 10]
            long[] classes = logits.argmax(1, false).toLongArray();
            System.out.println(java.util.Arrays.toString(classes));
        }
        // END README
    }

    @Test
    void trainYourOwnModel() throws Exception {
        int n = 256;
        Path data = dir;
        Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), Idx.bytes(new int[] {n, 28, 28}, Idx.data(n * 784, 1)));
        Idx.write(dir.resolve("train-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {n}, Idx.labels(n)));
        Idx.write(dir.resolve("t10k-images-idx3-ubyte.gz"), Idx.bytes(new int[] {n, 28, 28}, Idx.data(n * 784, 2)));
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {n}, Idx.labels(n)));
        int epochs = 2;
        Path checkpoint = dir.resolve("my-model.pt");
        // README: train
        Torch.manualSeed(42);
        Dataset train = Dataset.idx(data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"));
        Dataset test = Dataset.idx(data.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"));
        DataLoader batches = DataLoader.of(train, 128).shuffled(42);   // a new order every epoch
        try (Sequential net = new Sequential(
                        new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2, 2),
                        new Flatten(), new Dropout(0.2), new Linear(8 * 14 * 14, 10));
                AdamW optimizer = new AdamW(net.parameters(), AdamW.defaults(1e-3))) {
            LrScheduler schedule = new CosineAnnealingLR(optimizer, epochs * batches.count(), 0);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                net.train();
                for (Batch b : batches) {
                    try (b; TensorScope step = TensorScope.open()) {
                        optimizer.zeroGrad();
                        Tensor loss = Functional.crossEntropy(net.forward(b.x()), b.y());
                        loss.backward();
                        GradClip.clipNorm(net.parameters(), 1.0);
                        optimizer.step();
                        schedule.step();
                    }
                }
                double accuracy = Evaluation.accuracy(net, DataLoader.of(test, 1000));   // in eval mode
                System.out.printf("epoch %d: test accuracy %.3f%n", epoch, accuracy);
            }
            StateDict.save(net, checkpoint);   // torch.load(..., weights_only=True) reads it
        }
        // END README
        assertTrue(Files.size(checkpoint) > 0);
        try (Sequential again = new Sequential(
                new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2, 2),
                new Flatten(), new Dropout(0.2), new Linear(8 * 14 * 14, 10))) {
            StateDict.load(again, checkpoint);
            assertEquals(2.0 * n / 128, again.stateDict().get("1.num_batches_tracked").item());
        }
    }

    @Test
    void readmeQuotesThisFile() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/torchffm/ReadmeExamplesTest.java"));
        Matcher m = Pattern.compile("// README: (\\w+)\\n(.*?)\\n\\s*// END README", Pattern.DOTALL).matcher(source);
        List<String> quoted = new ArrayList<>();
        while (m.find()) {
            String block = m.group(2).stripIndent();
            assertTrue(readme.contains(block), "README.md does not quote the '" + m.group(1) + "' example as it is in "
                    + "ReadmeExamplesTest:\n" + block);
            quoted.add(m.group(1));
        }
        assertEquals(List.of("run", "train"), quoted);
    }
}
