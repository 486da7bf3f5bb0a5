package dev.torchffm.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.MalformedFileException;
import dev.torchffm.TensorScope;
import dev.torchffm.data.Idx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fashion-MNIST loading on tiny synthetic files. */
class FashionMnistTest {
    @TempDir
    Path dir;

    private static MalformedFileException fails(Path dir, String fileName, String what) {
        return fails(MalformedFileException.class, dir, fileName, what);
    }

    private static <E extends RuntimeException> E fails(Class<E> type, Path dir, String fileName, String what) {
        E e = assertThrows(type, () -> FashionMnist.load(dir, Device.CPU));
        assertTrue(e.getMessage().contains(fileName), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void loadsShapesValuesAndLabels(String suffix) throws IOException {
        Idx.fashion(dir, 5, 3, suffix);
        FashionMnist data;
        try (TensorScope scope = TensorScope.open()) {
            data = FashionMnist.load(dir, Device.CPU);
        }
        try (data) {
            // Survived the scope.
            assertFalse(data.trainImages().isClosed());
            assertArrayEquals(new long[] {5, 1, 28, 28}, data.trainImages().shape());
            assertArrayEquals(new long[] {5}, data.trainLabels().shape());
            assertArrayEquals(new long[] {3, 1, 28, 28}, data.testImages().shape());
            assertArrayEquals(new long[] {3}, data.testLabels().shape());
            assertEquals(DType.FLOAT32, data.trainImages().dtype());
            assertEquals(DType.INT64, data.trainLabels().dtype());
            assertArrayEquals(new long[] {0, 7, 4, 1, 8}, data.trainLabels().toLongArray());
            byte[] raw = Idx.data(5 * 784, 1);
            float[] x = data.trainImages().toFloatArray();
            for (int i = 0; i < raw.length; i++) {
                assertEquals((raw[i] & 0xff) / 255.0f, x[i], "pixel " + i);
            }
        }
        assertTrue(data.trainImages().isClosed());
        assertTrue(data.testLabels().isClosed());
    }

    @Test
    void unitFloatIsBitExactDivisionForEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        try (TensorScope scope = TensorScope.open()) {
            float[] got = FashionMnist.toUnitFloat(MemorySegment.ofArray(all), Device.CPU, 256)
                    .toFloatArray();
            for (int i = 0; i < 256; i++) {
                // Java float division is correctly rounded, as torch's x.float() / 255 on the CPU.
                assertEquals(Float.floatToRawIntBits(i / 255.0f), Float.floatToRawIntBits(got[i]), "byte " + i);
            }
        }
    }

    @Test
    void countMismatch() throws IOException {
        Idx.fashion(dir, 5, 3, ".gz");
        Idx.write(dir.resolve("train-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {4}, Idx.labels(4)));
        fails(dir, "train-labels-idx1-ubyte.gz", "4 labels, but train-images-idx3-ubyte.gz holds 5 images");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Idx.fashion(dir, 5, 3, "");
        byte[] labels = Idx.labels(3);
        labels[2] = 12;
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte"), Idx.bytes(new int[] {3}, labels));
        fails(dir, "t10k-labels-idx1-ubyte", "label 12 at index 2");
    }

    @Test
    void wrongImageSize() throws IOException {
        Idx.fashion(dir, 5, 3, ".gz");
        Idx.write(dir.resolve("t10k-images-idx3-ubyte.gz"), Idx.bytes(new int[] {3, 32, 32}, new byte[3 * 1024]));
        fails(dir, "t10k-images-idx3-ubyte.gz", "expected 28x28 images, found 32x32");
    }

    @Test
    void missingFileSuggestsPackage() throws IOException {
        Idx.fashion(dir, 5, 3, ".gz");
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        fails(UncheckedIOException.class, dir, "t10k-labels-idx1-ubyte.gz", "apt-get install dataset-fashion-mnist");
        fails(UncheckedIOException.class, dir.resolve("absent"), "absent", "--data DIR");
    }

    @Test
    void failedLoadLeavesNoTensors() throws IOException {
        Idx.fashion(dir, 5, 3, ".gz");
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), Idx.bytes(new int[] {2}, Idx.labels(2)));
        long before = dev.torchffm.Torch.liveTensors();
        assertThrows(MalformedFileException.class, () -> FashionMnist.load(dir, Device.CPU));
        assertEquals(before, dev.torchffm.Torch.liveTensors());
    }
}
