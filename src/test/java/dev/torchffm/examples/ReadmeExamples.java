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
import dev.torchffm.ScriptModule;
import dev.torchffm.data.Batch;
import dev.torchffm.data.DataLoader;
import dev.torchffm.data.Dataset;
import dev.torchffm.nn.BatchNorm2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Dropout;
import dev.torchffm.nn.Flatten;
import dev.torchffm.nn.MaxPool2d;
import dev.torchffm.nn.ReLU;
import dev.torchffm.optim.AdamW;
import dev.torchffm.optim.CosineAnnealingLR;
import dev.torchffm.optim.GradClip;
import dev.torchffm.optim.LrScheduler;
import dev.torchffm.serialize.StateDict;
import dev.torchffm.train.Evaluation;
import java.nio.file.Path;

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

    static void runAModelTrainedInPython(Path modelFile) {
        // README:run
        try (ScriptModule model = ScriptModule.load(modelFile, Device.CPU);
                TensorScope scope = TensorScope.open()) {
            Tensor images = Tensor.rand(DType.FLOAT32, Device.CPU, 8, 1, 28, 28);
            Tensor logits = model.forward(images);             // [8, 10]
            long[] classes = logits.argmax(1, false).toLongArray();
            System.out.println(java.util.Arrays.toString(classes));
        }
        // README:end
    }

    static void trainYourOwnModel(Path data, int epochs, Path checkpoint) {
        // README:train
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
        // README:end
    }
}
