package dev.torchffm.data;

import dev.torchffm.MalformedFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file (the MNIST format) of unsigned bytes, read into off-heap memory.
 *
 * <p>Layout: a 4-byte magic {@code 00 00 08 D} (0x08 = unsigned byte, D = number of dimensions),
 * D big-endian int32 sizes, then exactly the product of the sizes in data bytes. The file may be
 * gzip-compressed (name ending in {@code .gz}, or the gzip magic {@code 1f 8b} at its start).
 */
public final class IdxFile {
    /** The IDX type code of unsigned bytes, the only type this reader accepts. */
    public static final int UBYTE = 0x08;

    private static final int BUFFER = 1 << 20;
    // Keeps absurd sizes from a corrupt header out of the allocator (and the product out of overflow).
    private static final long MAX_BYTES = 1L << 40;
    // Fashion-MNIST's gzip files hold about twice their size; deflate reaches about 1000.
    private static final long PLAUSIBLE_GZIP_RATIO = 8;

    private final Path path;
    private final int[] dims;
    private final MemorySegment data;

    private IdxFile(Path path, int[] dims, MemorySegment data) {
        this.path = path;
        this.dims = dims;
        this.data = data;
    }

    /** Reads {@code path} with any number of dimensions; see {@link #read(Path, Arena, int)}. */
    public static IdxFile read(Path path, Arena arena) {
        return read(path, arena, 0);
    }

    /**
     * Reads {@code path}, whose data is allocated from {@code arena} (so it lives as long as the arena).
     *
     * @param expectedDims the number of dimensions the caller needs (3 for images, 1 for labels), or
     *     0 for any
     * @throws MalformedFileException if the file is not a well-formed unsigned-byte IDX file of that
     *     many dimensions, or declares more data than it holds (refused before allocating it)
     * @throws UncheckedIOException if the file is missing or unreadable; both messages name the file
     */
    public static IdxFile read(Path path, Arena arena, int expectedDims) {
        try {
            long fileSize = Files.size(path);
            if (fileSize == 0) {
                throw malformed(path, "empty file (expected an IDX header)");
            }
            try (InputStream in = open(path)) {
                return parse(path, in, arena, expectedDims, fileSize);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(path + ": no such file", e);
        } catch (ZipException e) {
            throw malformed(path, "not valid gzip data (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            // GZIPInputStream's way of saying the compressed stream stops early.
            throw malformed(path, "truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + e, e);
        }
    }

    private static InputStream open(Path path) throws IOException {
        var in = new BufferedInputStream(Files.newInputStream(path), BUFFER);
        in.mark(2);
        boolean gzipMagic = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        boolean gzip = gzipMagic || path.getFileName().toString().endsWith(".gz");
        if (!gzip) {
            return in;
        }
        try {
            return new GZIPInputStream(in, BUFFER); // reads and checks the gzip header now
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static IdxFile parse(Path path, InputStream in, Arena arena, int expectedDims, long fileSize)
            throws IOException {
        byte[] buf = new byte[BUFFER];
        int got = readFully(in, buf, 4);
        if (got == 0) {
            throw malformed(path, "empty file after decompression (expected an IDX header)");
        }
        if (got < 4) {
            throw malformed(path, "truncated: expected a 4-byte IDX magic number, found " + got + " bytes");
        }
        int magic = (buf[0] & 0xff) << 24 | (buf[1] & 0xff) << 16 | (buf[2] & 0xff) << 8 | (buf[3] & 0xff);
        int rank = buf[3] & 0xff;
        if (buf[0] != 0 || buf[1] != 0) {
            throw malformed(
                    path,
                    String.format(
                            "not an IDX file: magic number 0x%08x does not start" + " with two zero bytes", magic));
        }
        if ((buf[2] & 0xff) != UBYTE) {
            throw malformed(
                    path,
                    String.format(
                            "unsupported IDX element type 0x%02x in magic number"
                                    + " 0x%08x (only 0x08, unsigned byte, is supported)",
                            buf[2] & 0xff, magic));
        }
        if (rank == 0) {
            throw malformed(path, String.format("magic number 0x%08x declares 0 dimensions", magic));
        }
        if (expectedDims > 0 && rank != expectedDims) {
            throw malformed(
                    path,
                    String.format(
                            "expected a %d-d IDX file (magic 0x%08x), found %d" + " dimensions (magic 0x%08x)",
                            expectedDims, 0x800 | expectedDims, rank, magic));
        }

        got = readFully(in, buf, 4 * rank);
        if (got < 4 * rank) {
            throw malformed(
                    path,
                    "truncated: expected " + 4 * rank + " bytes of dimension sizes after" + " the magic number, found "
                            + got);
        }
        int[] dims = new int[rank];
        long bytes = 1;
        for (int i = 0; i < rank; i++) {
            int j = 4 * i;
            dims[i] =
                    (buf[j] & 0xff) << 24 | (buf[j + 1] & 0xff) << 16 | (buf[j + 2] & 0xff) << 8 | (buf[j + 3] & 0xff);
            if (dims[i] <= 0) {
                throw malformed(path, "dimension " + i + " has size " + dims[i] + ", must be positive");
            }
            bytes = dims[i] > Long.MAX_VALUE / bytes ? Long.MAX_VALUE : bytes * dims[i];
        }
        if (bytes > MAX_BYTES) {
            throw malformed(
                    path,
                    "dimension sizes " + Arrays.toString(dims) + " declare more data than" + " a segment can hold");
        }
        String what = describe(dims, bytes);
        long held = dataHeld(path, in, fileSize, bytes) - 4 - 4L * rank;
        if (bytes > held) { // refused before allocating what the header declares
            throw malformed(path, "truncated: expected " + what + ", found " + Math.max(held, 0));
        }

        MemorySegment data;
        try {
            data = arena.allocate(bytes, 16);
        } catch (OutOfMemoryError e) {
            throw malformed(path, "cannot allocate the " + what + " the header declares", e);
        }
        long off = 0;
        while (off < bytes) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - off));
            if (n < 0) {
                throw malformed(path, "truncated: expected " + what + ", found " + off);
            }
            MemorySegment.copy(buf, 0, data, ValueLayout.JAVA_BYTE, off, n);
            off += n;
        }
        long extra = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw malformed(path, extra + " trailing bytes after the " + what + " the header declares");
        }
        return new IdxFile(path, dims, data);
    }

    /**
     * How many bytes the stream can hold, at most: the file's size when raw. Gzip data may be far
     * larger than its file, so a header declaring more than {@value #PLAUSIBLE_GZIP_RATIO} times the
     * file is first checked by decompressing the file once without keeping it.
     */
    private static long dataHeld(Path path, InputStream in, long fileSize, long declared) throws IOException {
        if (!(in instanceof GZIPInputStream)) {
            return fileSize;
        }
        if (declared / PLAUSIBLE_GZIP_RATIO <= fileSize) {
            return Long.MAX_VALUE;
        }
        try (InputStream again = new GZIPInputStream(Files.newInputStream(path), BUFFER)) {
            byte[] buf = new byte[BUFFER];
            long n = 0;
            for (int r; (r = again.read(buf)) >= 0; ) {
                n += r;
            }
            return n;
        }
    }

    private static MalformedFileException malformed(Path path, String problem) {
        return new MalformedFileException(path, problem);
    }

    private static MalformedFileException malformed(Path path, String problem, Throwable cause) {
        return new MalformedFileException(path, problem, cause);
    }

    // "47040000 bytes of image data (60000x28x28)": the words users see in error messages.
    private static String describe(int[] dims, long bytes) {
        String kind = dims.length == 3 ? "image " : dims.length == 1 ? "label " : "";
        String shape = Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
        return bytes + " bytes of " + kind + "data (" + shape + ")";
    }

    // Reads up to n bytes into buf[0..n); fewer only at end of stream.
    private static int readFully(InputStream in, byte[] buf, int n) throws IOException {
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    /** The sizes of the dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of entries: the size of the first dimension. */
    public int count() {
        return dims[0];
    }

    /** The data bytes, row-major, exactly the product of {@link #dims()} long. */
    public MemorySegment data() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxFile[" + path + ", " + describe(dims, data.byteSize()) + "]";
    }
}
