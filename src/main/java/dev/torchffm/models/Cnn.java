package dev.torchffm.models;

import dev.torchffm.nn.BatchNorm2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Dropout;
import dev.torchffm.nn.Flatten;
import dev.torchffm.nn.Linear;
import dev.torchffm.nn.MaxPool2d;
import dev.torchffm.nn.ReLU;
import dev.torchffm.nn.Sequential;

/**
 * A small modern CNN for 1x28x28 images and 10 classes: two blocks of 3x3 convolution (padding 1),
 * BatchNorm, ReLU and 2x2 max pooling, then dropout and one Linear layer, with PyTorch's default
 * initialisation. The same {@code nn.Sequential} in Python:
 *
 * <pre>
 * nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
 *               nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
 *               nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 7 * 7, 10))
 * </pre>
 */
public final class Cnn {
    private Cnn() {}

    /** 16 and 32 channels, dropout 0.25. */
    public static Sequential create() {
        return create(16, 32, 0.25);
    }

    public static Sequential create(int channels1, int channels2, double dropout) {
        return new Sequential(
                new Conv2d(1, channels1, 3, 1, 1),
                new BatchNorm2d(channels1),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Conv2d(channels1, channels2, 3, 1, 1),
                new BatchNorm2d(channels2),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Dropout(dropout),
                new Linear(channels2 * 7 * 7, 10));
    }
}
