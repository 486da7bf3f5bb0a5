package dev.torchffm.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes synthetic IDX files for the tests. */
public final class Idx {
    private Idx() {}

    /** The bytes of an unsigned-byte IDX file with these dims and data. */
    public static byte[] bytes(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** Writes {@code content}, gzip-compressed when the name ends in .gz. */
    public static Path write(Path file, byte[] content) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(content);
            }
            content = bos.toByteArray();
        }
        return Files.write(file, content);
    }

    /** {@code n} pseudo-random bytes, the same for the same seed. */
    public static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Writes the four Fashion-MNIST files into {@code dir}: n train and m test examples. */
    public static void fashion(Path dir, int n, int m, String suffix) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte" + suffix), bytes(new int[] {n, 28, 28}, data(n * 784, 1)));
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), bytes(new int[] {n}, labels(n)));
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix), bytes(new int[] {m, 28, 28}, data(m * 784, 2)));
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), bytes(new int[] {m}, labels(m)));
    }

    public static byte[] labels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 7) % 10);
        }
        return b;
    }
}
