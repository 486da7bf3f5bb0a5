package dev.torchffm.cli;

import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.nn.Sequential;
import dev.torchffm.nn.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The chapter's closing step: classify test images with saved weights and show them with their labels. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify the first test images with saved weights; print and draw true vs predicted labels.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "weights written by train --save (or torch.save)")
    Path weights;

    @Option(names = "--arch", defaultValue = "lenet", description = "lenet or lenet-relu (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--count", defaultValue = "8", description = "how many test images (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--out", description = "write the images with their labels to this PNG")
    Path out;

    @Option(names = "--data", description = "Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist)")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("no weights file " + weights + " (write one with ./torchffm train --save FILE)");
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        Device dev = Device.parse(device);
        try (Sequential net = Models.parse(arch).factory.get(); FashionMnist fashion = FashionMnist.load(data, dev);
                TensorScope scope = TensorScope.open(); NoGrad g = Torch.noGrad()) {
            StateDict.load(net, weights);
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

    private static List<String> names(long[] labels) {
        List<String> out = new ArrayList<>();
        for (long l : labels) {
            out.add(FashionMnist.CLASSES.get((int) l));
        }
        return out;
    }
}
