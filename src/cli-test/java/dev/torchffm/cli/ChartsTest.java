package dev.torchffm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.train.EpochStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training plot: the image type its extension names, whole-number epoch ticks. */
class ChartsTest {
    private static final List<EpochStats> HISTORY = List.of(
            new EpochStats(1, 2.3, 0.1, 0.1, 3),
            new EpochStats(2, 1.8, 0.3, 0.5, 3),
            new EpochStats(3, 0.9, 0.6, 0.7, 3));

    @TempDir
    Path dir;

    @Test
    void writesJpegOrPngByExtension() throws Exception {
        Path jpg = dir.resolve("run.jpg");
        Path png = dir.resolve("run.png");
        Charts.writeTrainingPlot(HISTORY, "t", jpg);
        Charts.writeTrainingPlot(HISTORY, "t", png);
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, head(jpg, 3), "JPEG magic");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head(png, 4), "PNG magic");
    }

    @Test
    void epochTicksAreWholeNumbers() {
        JFreeChart chart = Charts.trainingChart(HISTORY, "t");
        chart.createBufferedImage(720, 450); // lays out the axes, choosing the tick unit
        double unit =
                ((NumberAxis) chart.getXYPlot().getDomainAxis()).getTickUnit().getSize();
        assertTrue(unit >= 1 && unit == Math.rint(unit), "tick unit " + unit);
    }

    @Test
    void imageTypes() {
        assertEquals("jpeg", OutputFile.imageType(Path.of("a.JPG")));
        assertEquals("jpeg", OutputFile.imageType(Path.of("a.jpeg")));
        assertEquals("png", OutputFile.imageType(Path.of("x/a.png")));
    }

    private static byte[] head(Path file, int n) throws Exception {
        return Arrays.copyOf(Files.readAllBytes(file), n);
    }
}
