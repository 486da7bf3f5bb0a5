package dev.torchffm.cli;

import dev.torchffm.models.Cnn;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.util.function.Supplier;

/** The models the CLI knows, with the training defaults documented for each. */
enum Models {
    /** The d2l chapter's net: sigmoid, average pooling, SGD lr 0.9, batch 256. */
    LENET("lenet", LeNet::classic, 0.9, 0.0, 256, false),
    /** ReLU and max pooling: SGD lr 0.02 with momentum 0.9, batch 128 (test accuracy 0.896 after 10 epochs). */
    LENET_RELU("lenet-relu", LeNet::modern, 0.02, 0.9, 128, false),
    /**
     * Conv-BatchNorm-ReLU-MaxPool twice, dropout, Linear ({@link Cnn}): AdamW lr 0.003, weight decay
     * 0.01, a cosine schedule over all steps, batch 128 (see README for the measurements).
     */
    CNN("cnn", Cnn::create, 0.003, 0.0, 128, true);

    final String cliName;
    final Supplier<Sequential> factory;
    final double defaultLr;
    final double defaultMomentum;
    final int defaultBatchSize;
    /** AdamW (weight decay 0.01) with a cosine learning-rate schedule over the run, instead of SGD. */
    final boolean adamwCosine;

    Models(
            String cliName,
            Supplier<Sequential> factory,
            double defaultLr,
            double defaultMomentum,
            int defaultBatchSize,
            boolean adamwCosine) {
        this.cliName = cliName;
        this.factory = factory;
        this.defaultLr = defaultLr;
        this.defaultMomentum = defaultMomentum;
        this.defaultBatchSize = defaultBatchSize;
        this.adamwCosine = adamwCosine;
    }

    static Models parse(String name) {
        for (Models m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new UserInputException("unknown model '" + name + "': use lenet, lenet-relu or cnn");
    }
}
