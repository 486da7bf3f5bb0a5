package dev.torchffm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.MalformedFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {
    @TempDir
    Path dir;

    private static final int[] DIMS = {5, 28, 28};

    private IdxFile read(Path file, int expectedDims) {
        try (Arena arena = Arena.ofConfined()) {
            IdxFile f = IdxFile.read(file, arena, expectedDims);
            f.data().byteSize(); // touch while the arena is open
            return f;
        }
    }

    // Asserts a MalformedFileException whose message names the file and mentions `what`.
    private static MalformedFileException fails(Path file, int expectedDims, String what) {
        return fails(MalformedFileException.class, file, expectedDims, what);
    }

    private static <E extends RuntimeException> E fails(Class<E> type, Path file, int expectedDims, String what) {
        E e;
        try (Arena arena = Arena.ofConfined()) {
            e = assertThrows(type, () -> IdxFile.read(file, arena, expectedDims));
        }
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"imgs-idx3-ubyte", "imgs-idx3-ubyte.gz", "gzip-without-suffix"})
    void roundTrip(String name) throws IOException {
        byte[] data = Idx.data(5 * 28 * 28, 42);
        byte[] content = Idx.bytes(DIMS, data);
        Path file = dir.resolve(name);
        if (name.startsWith("gzip")) {
            // Compressed but not named .gz: recognised by the magic bytes.
            Files.move(Idx.write(dir.resolve("tmp.gz"), content), file);
        } else {
            Idx.write(file, content);
        }
        try (Arena arena = Arena.ofConfined()) {
            IdxFile f = IdxFile.read(file, arena, 3);
            assertArrayEquals(DIMS, f.dims());
            assertEquals(5, f.count());
            assertArrayEquals(data, f.data().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(file, f.path());
        }
    }

    @Test
    void anyDimsWhenNoneExpected() throws IOException {
        Path file = Idx.write(dir.resolve("x.gz"), Idx.bytes(new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, 6}));
        assertArrayEquals(new int[] {2, 3}, read(file, 0).dims());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void truncatedData(String suffix) throws IOException {
        byte[] content = Idx.bytes(DIMS, Idx.data(1000, 1));
        Path file = Idx.write(dir.resolve("train-images-idx3-ubyte" + suffix), content);
        fails(file, 3, "truncated: expected 3920 bytes of image data (5x28x28), found 1000");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] content = Arrays.copyOf(Idx.bytes(DIMS, new byte[0]), 10);
        fails(Idx.write(dir.resolve("h"), content), 3, "truncated");
        fails(Idx.write(dir.resolve("m.gz"), new byte[] {0, 0}), 3, "truncated");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        Path full = Idx.write(dir.resolve("full.gz"), Idx.bytes(DIMS, Idx.data(3920, 3)));
        byte[] gz = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        fails(cut, 3, "truncated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void trailingBytes(String suffix) throws IOException {
        byte[] content = Idx.bytes(DIMS, Idx.data(3920 + 7, 1));
        fails(Idx.write(dir.resolve("t" + suffix), content), 3, "7 trailing bytes");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] content = Idx.bytes(DIMS, Idx.data(3920, 1));
        content[0] = 0x12;
        fails(Idx.write(dir.resolve("magic"), content), 3, "not an IDX file");
        content[0] = 0;
        content[2] = 0x0D; // float
        fails(Idx.write(dir.resolve("float"), content), 3, "unsupported IDX element type 0x0d");
    }

    @Test
    void wrongDimsCount() throws IOException {
        Path labels = Idx.write(dir.resolve("labels-idx1-ubyte"), Idx.bytes(new int[] {5}, new byte[5]));
        fails(labels, 3, "expected a 3-d IDX file (magic 0x00000803), found 1 dimensions (magic 0x00000801)");
        Path zero = Idx.write(dir.resolve("zero"), Idx.bytes(new int[0], new byte[0]));
        fails(zero, 0, "0 dimensions");
    }

    @Test
    void nonPositiveDim() throws IOException {
        Path file = Idx.write(dir.resolve("neg.gz"), Idx.bytes(new int[] {5, 0, 28}, new byte[0]));
        fails(file, 3, "dimension 1 has size 0");
        Path huge = Idx.write(
                dir.resolve("huge"),
                Idx.bytes(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]));
        fails(huge, 3, "more data than");
    }

    @Test
    void emptyFile() throws IOException {
        fails(Files.createFile(dir.resolve("empty")), 3, "empty");
        fails(Files.createFile(dir.resolve("empty.gz")), 3, "empty");
        fails(Idx.write(dir.resolve("empty-inside.gz"), new byte[0]), 3, "empty");
    }

    @Test
    void notGzip() throws IOException {
        Path file = Files.write(dir.resolve("plain.gz"), Idx.bytes(DIMS, Idx.data(3920, 1)));
        fails(file, 3, "gzip");
    }

    @Test
    void missingFile() {
        fails(UncheckedIOException.class, dir.resolve("nope-idx3-ubyte.gz"), 3, "no such file");
    }

    // ---- declared sizes are checked against what the file can hold before allocating ---------------

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void headerDeclaringTwoMillionImagesInAHundredBytesIsRefused(String suffix) throws IOException {
        byte[] content = Arrays.copyOf(Idx.bytes(new int[] {2_000_000, 28, 28}, new byte[0]), 100);
        Path file = Idx.write(dir.resolve("huge-idx3-ubyte" + suffix), content);
        fails(file, 3, "truncated: expected 1568000000 bytes of image data (2000000x28x28), found 84");
    }

    @Test
    void labelsDeclaringMoreThanTheFileHoldsAreRefused() throws IOException {
        Path file = Idx.write(
                dir.resolve("labels-idx1-ubyte"),
                Arrays.copyOf(Idx.bytes(new int[] {Integer.MAX_VALUE}, new byte[0]), 20));
        fails(file, 1, "found 12");
    }

    @Test
    void highlyCompressedDataThatIsReallyThereIsRead() throws IOException {
        // 5000 zero images compress about 1000-fold: over the plausible ratio, so the reader counts first.
        byte[] zeros = new byte[5000 * 28 * 28];
        Path file = Idx.write(dir.resolve("zeros-idx3-ubyte.gz"), Idx.bytes(new int[] {5000, 28, 28}, zeros));
        assertTrue(Files.size(file) * 8 < zeros.length, "the test needs a highly compressed file");
        try (Arena arena = Arena.ofConfined()) {
            IdxFile f = IdxFile.read(file, arena, 3);
            assertEquals(5000, f.count());
            assertArrayEquals(zeros, f.data().toArray(ValueLayout.JAVA_BYTE));
        }
        // The same header over fewer zeros than it declares is refused, after counting.
        Path cut = Idx.write(
                dir.resolve("cut-idx3-ubyte.gz"), Idx.bytes(new int[] {5000, 28, 28}, new byte[4000 * 28 * 28]));
        fails(cut, 3, "found " + 4000 * 28 * 28);
    }
}
