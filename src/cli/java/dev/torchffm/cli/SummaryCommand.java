package dev.torchffm.cli;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.nn.Module;
import dev.torchffm.nn.Sequential;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The chapter's layer-by-layer output shapes for one 28x28 image. */
@Command(name = "summary", description = "Print each layer's output shape for a 1x1x28x28 input.")
final class SummaryCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            defaultValue = "lenet",
            description = "lenet, lenet-relu or cnn (default: ${DEFAULT-VALUE})")
    String model;

    @Override
    public Integer call() {
        try (Sequential net = Models.parse(model).factory.get();
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.rand(DType.FLOAT32, Device.CPU, 1, 1, 28, 28);
            for (Module layer : net) {
                x = layer.forward(x);
                System.out.printf(
                        "%-10s output shape: \t%s%n", layer.getClass().getSimpleName(), Arrays.toString(x.shape()));
            }
            System.out.printf("%,d parameters%n", net.parameterCount());
        }
        return 0;
    }
}
