package dev.torchffm.cli;

import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.util.function.Supplier;

/** The models the CLI knows, with the training defaults documented for each. */
enum Models {
    /** The d2l chapter's net: sigmoid, average pooling, SGD lr 0.9, batch 256. */
    LENET("lenet", LeNet::classic, 0.9, 0.0, 256),
    /** ReLU and max pooling: SGD lr 0.02 with momentum 0.9, batch 128 (test accuracy 0.896 after 10 epochs). */
    LENET_RELU("lenet-relu", LeNet::modern, 0.02, 0.9, 128);

    final String cliName;
    final Supplier<Sequential> factory;
    final double defaultLr;
    final double defaultMomentum;
    final int defaultBatchSize;

    Models(String cliName, Supplier<Sequential> factory, double defaultLr, double defaultMomentum, int defaultBatchSize) {
        this.cliName = cliName;
        this.factory = factory;
        this.defaultLr = defaultLr;
        this.defaultMomentum = defaultMomentum;
        this.defaultBatchSize = defaultBatchSize;
    }

    static Models parse(String name) {
        for (Models m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new UserInputException("unknown model '" + name + "': use lenet or lenet-relu");
    }
}
