package dev.torchffm.examples;

// README:imports
import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Functional;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.datasets.FashionMnist;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.Module; // not java.lang.Module
import dev.torchffm.nn.Sequential;
import dev.torchffm.optim.SGD;
import dev.torchffm.train.EpochStats;
import dev.torchffm.train.Progress;
import dev.torchffm.train.TrainConfig;
import dev.torchffm.train.Trainer;
import java.util.Arrays;
import java.util.List;
// README:end

/**
 * The Java snippets of README.md, verbatim between the {@code README:} markers: {@code ReadmeTest}
 * compiles and runs them and checks that README.md quotes each one unchanged.
 */
final class ReadmeExamples {
    private ReadmeExamples() {}

    static void fitALine() {
        // README:fit-a-line
        Torch.manualSeed(0);
        try (Linear model = new Linear(1, 1);
             SGD sgd = new SGD(model.parameters(), SGD.Options.lr(0.1));
             TensorScope scope = TensorScope.open()) {              // frees every tensor made inside
            Tensor x = Tensor.randn(DType.FLOAT32, Device.CPU, 100, 1);
            Tensor y = x.mul(3).add(2);                              // y = 3x + 2
            for (int step = 0; step < 300; step++) {
                try (TensorScope temporaries = TensorScope.open()) {
                    sgd.zeroGrad();
                    Functional.mseLoss(model.forward(x), y).backward();
                    sgd.step();
                }
            }
            System.out.println(model.weight() + " " + model.bias());
            // tensor([[3.0000]], requires_grad=True) tensor([2.0000], requires_grad=True)
        }
        // README:end
    }

    static void trainTheChapter() {
        // README:chapter
        Torch.manualSeed(42);
        Device device = Device.best();
        try (Sequential net = LeNet.classic();
             FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIR, device)) {
            TrainConfig config = TrainConfig.chapter(device).withEpochs(1);  // the chapter trains 10
            List<EpochStats> history = new Trainer(config, Progress.NONE).fit(net, data);
            System.out.println(history.get(0).line());

            // Layer by layer, as the chapter prints shapes:
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = Tensor.rand(DType.FLOAT32, device, 1, 1, 28, 28);
                for (Module layer : net) {
                    x = layer.forward(x);
                    System.out.println(layer + " " + Arrays.toString(x.shape()));
                }
            }
        }
        // README:end
    }
}
