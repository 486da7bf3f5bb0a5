package dev.torchffm.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchffm.Device;
import dev.torchffm.data.IdxFile;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The installed dataset ({@code apt-get install dataset-fashion-mnist}); skipped when absent. */
class FashionMnistRealTest {
    @Test
    void loadsTheInstalledDataset() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "no " + FashionMnist.DEFAULT_DIR);
        try (FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIR, Device.CPU);
                Arena arena = Arena.ofConfined()) {
            assertArrayEquals(new long[] {60000, 1, 28, 28}, data.trainImages().shape());
            assertArrayEquals(new long[] {60000}, data.trainLabels().shape());
            assertArrayEquals(new long[] {10000, 1, 28, 28}, data.testImages().shape());
            assertArrayEquals(new long[] {10000}, data.testLabels().shape());

            IdxFile labels = IdxFile.read(FashionMnist.DEFAULT_DIR.resolve("train-labels-idx1-ubyte.gz"), arena, 1);
            long first = labels.data().get(ValueLayout.JAVA_BYTE, 0) & 0xff;
            assertEquals(first, data.trainLabels().toLongArray()[0]);
            assertEquals(9, first, "the first training image is an ankle boot");
            assertEquals("ankle boot", FashionMnist.CLASSES.get((int) first));
        }
    }
}
