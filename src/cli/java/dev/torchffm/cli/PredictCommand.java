package dev.torchffm.cli;

import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.nn.Sequential;
import dev.torchffm.serialize.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The chapter's closing step: classify test images with saved weights and show them with their labels. */
@Command(name = "predict",
        description = "Classify the first test images with saved weights; print and draw true vs predicted labels.")
final class PredictCommand implements Callable<Integer> {
    /** More images than this make an unreadable grid (and a huge image): a clear error instead. */
    static final int MAX_COUNT = 100;

    @Option(names = {"--weights", "--checkpoint"}, description = "weights written by train --save (or torch.save)")
    Path weights;

    @Option(names = "--model", hidden = true, description = "old name of --weights")
    Path weightsOldName;

    @Option(names = "--arch", defaultValue = "lenet", description = "lenet or lenet-relu (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--count", defaultValue = "8",
            description = "how many test images, 1 to " + MAX_COUNT + " (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", description = "draw the images with their labels into this image (.png or .jpg)")
    Path out;

    @Option(names = "--data", description = "Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist)")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() {
        Path file = weights != null ? weights : weightsOldName;
        if (file == null) {
            throw new UserInputException("missing --weights FILE (write one with ./torchffm train --save FILE)");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("no weights file " + file + " (write one with ./torchffm train --save FILE)");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new UserInputException("--count must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        OutputFile.requireImage(out, "--out");
        Models m = Models.parse(arch);
        Device dev = UserInputException.validate(() -> Device.parse(device));
        // The weights load before the data set: a bad checkpoint is reported without waiting for the data.
        try (Sequential net = withWeights(m.factory.get(), file); FashionMnist fashion = FashionMnist.load(data, dev);
                TensorScope scope = TensorScope.open(); NoGrad g = Torch.noGrad()) {
            net.to(dev).eval();
            int n = (int) Math.min(count, fashion.testImages().size(0));
            Tensor x = fashion.testImages().narrow(0, 0, n);
            long[] truth = fashion.testLabels().narrow(0, 0, n).to(Device.CPU).toLongArray();
            long[] predicted = net.forward(x).argmax(1, false).to(Device.CPU).toLongArray();
            List<String> t = names(truth);
            List<String> p = names(predicted);
            System.out.println("true: " + String.join(", ", t));
            System.out.println("pred: " + String.join(", ", p));
            long right = java.util.stream.IntStream.range(0, n).filter(i -> truth[i] == predicted[i]).count();
            System.out.printf("%d of %d correct%n", right, n);
            if (out != null) {
                float[] flat = x.to(Device.CPU).toFloatArray();
                float[][] images = new float[n][];
                for (int i = 0; i < n; i++) {
                    images[i] = java.util.Arrays.copyOfRange(flat, i * 784, (i + 1) * 784);
                }
                ImageGrid.write(images, t, p, out);
                System.out.println("wrote " + out);
            }
        }
        return 0;
    }

    // A checkpoint that is damaged or made for another architecture is the user's file to fix.
    private static Sequential withWeights(Sequential net, Path file) {
        try {
            UserInputException.validate(() -> {
                StateDict.load(net, file);
                return null;
            });
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private static List<String> names(long[] labels) {
        List<String> out = new ArrayList<>();
        for (long l : labels) {
            out.add(FashionMnist.CLASSES.get((int) l));
        }
        return out;
    }
}
