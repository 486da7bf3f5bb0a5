package dev.torchffm.datasets;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.MalformedFileException;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.data.Batches;
import dev.torchffm.data.IdxFile;
import dev.torchffm.data.TrainTestData;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST loaded onto a device: images as float32 {@code [N,1,28,28]} in [0, 1], labels as
 * int64 {@code [N]}, for the training and the test split.
 *
 * <p>As {@link TrainTestData}, the training split comes in shuffled batches (one {@code randperm}
 * per pass, as the chapter's Python code draws) and the test split in order.
 *
 * <p>The four tensors are taken out of every {@link TensorScope}: they live until {@link #close()},
 * which must be called by the thread that loaded the dataset.
 */
public final class FashionMnist implements TrainTestData, AutoCloseable {
    /** Where the {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Text labels of the ten classes, by class index (d2l's {@code get_fashion_mnist_labels}). */
    public static final List<String> CLASSES = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");

    /** Image height and width in pixels. */
    public static final int SIDE = 28;

    // Images converted per step (see toUnitFloat): a 6 MB buffer.
    private static final long CHUNK = 2048;

    private final Tensor trainImages;
    private final Tensor trainLabels;
    private final Tensor testImages;
    private final Tensor testLabels;

    private FashionMnist(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels) {
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    /**
     * Loads {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each gzip-compressed ({@code .gz})
     * or raw, from {@code dir} onto {@code device}. Any number of images is accepted as long as each
     * image file and its label file agree.
     *
     * @throws MalformedFileException if a file is malformed, the counts disagree, an image is not
     *     28x28, or a label is outside 0..9; the message names the file
     * @throws UncheckedIOException if a file is missing or unreadable; the message names it
     */
    public static FashionMnist load(Path dir, Device device) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] train = loadSplit(dir, "train", device);
            Tensor[] test = loadSplit(dir, "t10k", device);
            // Only now that everything loaded: a failure above frees all of it with the scope.
            return new FashionMnist(train[0].keep(), train[1].keep(), test[0].keep(), test[1].keep());
        }
    }

    private static Tensor[] loadSplit(Path dir, String split, Device device) {
        try (Arena arena = Arena.ofConfined()) {
            IdxFile images = IdxFile.read(find(dir, split + "-images-idx3-ubyte"), arena, 3);
            IdxFile labels = IdxFile.read(find(dir, split + "-labels-idx1-ubyte"), arena, 1);
            int[] d = images.dims();
            if (d[1] != SIDE || d[2] != SIDE) {
                throw new MalformedFileException(
                        images.path(), "expected " + SIDE + "x" + SIDE + " images, found " + d[1] + "x" + d[2]);
            }
            if (labels.count() != images.count()) {
                throw new MalformedFileException(
                        labels.path(),
                        labels.count() + " labels, but " + images.path().getFileName() + " holds " + images.count()
                                + " images");
            }
            checkLabels(labels);
            long n = images.count();
            Tensor x = toUnitFloat(images.data(), device, n, 1, SIDE, SIDE);
            Tensor y = Tensor.copyOf(labels.data(), DType.UINT8, device, n).to(DType.INT64);
            return new Tensor[] {x, y};
        }
    }

    // The .gz name first, as the package installs it; then the raw name.
    private static Path find(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        String where = Files.isDirectory(dir) ? "" : " (the directory " + dir + " does not exist)";
        throw new UncheckedIOException(
                gz + ": no such file, nor " + raw.getFileName() + where
                        + "; install Fashion-MNIST with `apt-get install dataset-fashion-mnist` or pass --data DIR"
                        + " naming a directory that holds the four IDX files",
                new NoSuchFileException(gz.toString()));
    }

    private static void checkLabels(IdxFile labels) {
        MemorySegment data = labels.data();
        for (long i = 0; i < data.byteSize(); i++) {
            int label = data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (label >= CLASSES.size()) {
                throw new MalformedFileException(
                        labels.path(), "label " + label + " at index " + i + " is outside 0.." + (CLASSES.size() - 1));
            }
        }
    }

    /**
     * uint8 pixels to a float32 tensor in [0, 1] on {@code device}, bit-for-bit as PyTorch's {@code
     * x.float() / 255}: Java's float division is IEEE's correctly rounded one, as ATen's. The values are
     * written chunk by chunk into one small buffer and copied into the result, so loading needs no
     * large temporaries (a float64 intermediate would cost 376 MB for the training set, and large
     * freed blocks raise glibc's mmap threshold, which keeps resident memory high afterwards).
     */
    static Tensor toUnitFloat(MemorySegment bytes, Device device, long... shape) {
        Tensor out = Tensor.zeros(DType.FLOAT32, device, shape);
        long n = shape[0];
        long perImage = bytes.byteSize() / Math.max(n, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_FLOAT, CHUNK * perImage);
            for (long start = 0; start < n; start += CHUNK) {
                long len = Math.min(CHUNK, n - start);
                long count = len * perImage;
                long base = start * perImage;
                for (long i = 0; i < count; i++) {
                    buffer.setAtIndex(
                            ValueLayout.JAVA_FLOAT, i, (bytes.get(ValueLayout.JAVA_BYTE, base + i) & 0xff) / 255f);
                }
                long[] chunkShape = shape.clone();
                chunkShape[0] = len;
                try (TensorScope chunk = TensorScope.open()) {
                    out.narrow(0, start, len)
                            .assign(Tensor.borrow(buffer.asSlice(0, count * 4), DType.FLOAT32, chunkShape));
                }
            }
        }
        return out;
    }

    /** Training images, float32 {@code [N,1,28,28]} in [0, 1]. */
    public Tensor trainImages() {
        return trainImages;
    }

    /** Training labels, int64 {@code [N]} in 0..9. */
    public Tensor trainLabels() {
        return trainLabels;
    }

    /** Test images, float32 {@code [M,1,28,28]} in [0, 1]. */
    public Tensor testImages() {
        return testImages;
    }

    /** Test labels, int64 {@code [M]} in 0..9. */
    public Tensor testLabels() {
        return testLabels;
    }

    @Override
    public Batches trainBatches(int batchSize) {
        return Batches.shuffled(trainImages, trainLabels, batchSize);
    }

    @Override
    public Batches testBatches(int batchSize) {
        return Batches.sequential(testImages, testLabels, batchSize);
    }

    /** Frees the four tensors. Closing twice is harmless. */
    @Override
    public void close() {
        trainImages.close();
        trainLabels.close();
        testImages.close();
        testLabels.close();
    }
}
