package dev.torchffm.cli;

import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.ScriptModule;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.nn.Module;
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
@Command(
        name = "predict",
        description = "Classify the first test images with saved weights; print and draw true vs predicted labels.")
final class PredictCommand implements Callable<Integer> {
    /** More images than this make an unreadable grid (and a huge image): a clear error instead. */
    static final int MAX_COUNT = 100;

    @Option(
            names = {"--weights", "--checkpoint"},
            description = "weights written by train --save (or torch.save), or a TorchScript model (torch.jit.save)")
    Path weights;

    @Option(names = "--model", hidden = true, description = "old name of --weights")
    Path weightsOldName;

    @Option(
            names = "--arch",
            defaultValue = "lenet",
            description =
                    "the net of a checkpoint: lenet, lenet-relu or cnn (default: ${DEFAULT-VALUE}); not used for TorchScript")
    String arch;

    @Option(
            names = "--count",
            defaultValue = "8",
            description = "how many test images, 1 to " + MAX_COUNT + " (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", description = "draw the images with their labels into this image (.png or .jpg)")
    Path out;

    @Option(names = "--data", description = "Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist)")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
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
        boolean script = ScriptModule.isTorchScript(file);
        Models m = script ? null : Models.parse(arch);
        Device dev = UserInputException.validate(() -> Device.parse(device));
        // The model loads before the data set, so a bad file is reported without waiting for the data; a
        // file that is damaged or made for another architecture is the user's file to fix.
        try (Classifier model = UserInputException.validate(
                        () -> script ? Classifier.script(file, dev) : Classifier.checkpoint(m, file, dev));
                FashionMnist fashion = FashionMnist.load(data, dev);
                TensorScope scope = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            System.out.println(
                    script ? "read TorchScript model " + file : "read state_dict checkpoint " + file + " into " + arch);
            int n = (int) Math.min(count, fashion.testImages().size(0));
            Tensor x = fashion.testImages().narrow(0, 0, n);
            long[] truth = fashion.testLabels().narrow(0, 0, n).to(Device.CPU).toLongArray();
            long[] predicted =
                    model.net().forward(x).argmax(1, false).to(Device.CPU).toLongArray();
            List<String> t = names(truth);
            List<String> p = names(predicted);
            System.out.println("true: " + String.join(", ", t));
            System.out.println("pred: " + String.join(", ", p));
            long right = java.util.stream.IntStream.range(0, n)
                    .filter(i -> truth[i] == predicted[i])
                    .count();
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

    /** The model: a TorchScript file, or a checkpoint loaded into one of the CLI's nets. */
    private record Classifier(Module net, AutoCloseable owner) implements AutoCloseable {
        static Classifier script(Path file, Device dev) {
            ScriptModule m = ScriptModule.load(file, dev);
            return new Classifier(
                    new Module() {
                        @Override
                        public Tensor forward(Tensor x) {
                            return m.forward(x);
                        }
                    },
                    m);
        }

        static Classifier checkpoint(Models m, Path file, Device dev) {
            Sequential net = m.factory.get();
            try {
                StateDict.load(net, file);
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
            net.to(dev).eval();
            return new Classifier(net, net);
        }

        @Override
        public void close() throws Exception {
            owner.close();
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
