package dev.torchffm.serialize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes checkpoints made to cost a reader far more memory than they hold, the attacks of the
 * hostile-input review: each is a few kilobytes to a few megabytes on disk. {@link #CASES} lists
 * them with what a correct reader does and the memory its caller legitimately needs.
 */
final class HostileCheckpoints {
    private HostileCheckpoints() {}

    /** A hostile file: its name, how to write it, and the bytes of tensors a correct read returns (0 when refused). */
    record Case(String name, Writer writer, long callerBytes, String refusal) {}

    interface Writer {
        Path write(Path dir) throws IOException;
    }

    static final int SHARED_ENTRIES = 2000;
    static final int SHARED_ELEMENTS = 1 << 18; // 1 MiB of float32
    /** The limit on data.pkl that {@link #hugePickle} is written to pass (set it for the read). */
    static final long HUGE_PICKLE_LIMIT = 4 << 20;

    static final Case[] CASES = {
        new Case("expanded", HostileCheckpoints::expanded, 0, "is a view that must be copied"),
        new Case("shared", HostileCheckpoints::sharedViews, SHARED_ELEMENTS * 4L, null),
        new Case("transposed", HostileCheckpoints::transposedViews, 512 * 512 * 4L, null),
        new Case("strided", HostileCheckpoints::stridedViews, 0, "is a view that must be copied"),
        new Case("oversized-record", HostileCheckpoints::oversizedRecord, 16, null),
        new Case("lying-zip-header", HostileCheckpoints::lyingZipHeader, 0, "is truncated"),
        new Case("pickle-bomb", HostileCheckpoints::pickleBomb, 0, "builds more values than"),
        new Case("huge-pickle", HostileCheckpoints::hugePickle, 0, "more than the limit"),
        new Case("overflow", HostileCheckpoints::overflow, 0, "overflows 64 bits"),
        new Case("non-utf8-key", HostileCheckpoints::nonUtf8Key, 0, "not valid UTF-8"),
    };

    /** One stored float expanded by a zero stride to 2^28 elements: 1 GiB dense. */
    static Path expanded(Path dir) throws IOException {
        Pickle p = new Pickle().dictOf(1, i -> "x", i -> new long[] {0}, new long[] {1L << 28}, new long[] {0});
        return zip(dir.resolve("expanded.pt"), p.bytes(), floats(1, 1.5f), false);
    }

    /** 2000 entries that each view most of one 1 MiB storage: 2 GB if each were copied. */
    static Path sharedViews(Path dir) throws IOException {
        Pickle p = new Pickle()
                .dictOf(
                        SHARED_ENTRIES,
                        i -> "w" + i,
                        i -> new long[] {i % 16},
                        new long[] {SHARED_ELEMENTS - 16},
                        new long[] {1});
        return zip(dir.resolve("shared.pt"), p.bytes(), floats(SHARED_ELEMENTS, 0), false);
    }

    /** 2000 transposed views of one 512x512 storage: 2 GB if each were copied. */
    static Path transposedViews(Path dir) throws IOException {
        Pickle p = new Pickle()
                .dictOf(SHARED_ENTRIES, i -> "t" + i, i -> new long[] {0}, new long[] {512, 512}, new long[] {1, 512});
        return zip(dir.resolve("transposed.pt"), p.bytes(), floats(512 * 512, 0), false);
    }

    /** 2000 views of every other element of one 1 MiB storage: each must be copied, 1 GB in all. */
    static Path stridedViews(Path dir) throws IOException {
        Pickle p = new Pickle()
                .dictOf(
                        SHARED_ENTRIES,
                        i -> "s" + i,
                        i -> new long[] {i % 2},
                        new long[] {SHARED_ELEMENTS / 2 - 1},
                        new long[] {2});
        return zip(dir.resolve("strided.pt"), p.bytes(), floats(SHARED_ELEMENTS, 0), false);
    }

    /** A 2x2 tensor whose deflated record holds 128 MiB: only its first 16 bytes are needed. */
    static Path oversizedRecord(Path dir) throws IOException {
        Pickle p = new Pickle().dictOf(1, i -> "small", i -> new long[] {0}, new long[] {2, 2}, new long[] {2, 1});
        Path file = dir.resolve("oversized-record.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(p.bytes());
            z.putNextEntry(new ZipEntry("archive/data/0")); // DEFLATED
            z.write(floats(4, 1)); // 1, 2, 3, 4
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 128; i++) {
                z.write(zeros);
            }
        }
        return file;
    }

    /** A record whose zip directory claims 2 GiB while it holds 64 bytes, under a 1 GiB tensor. */
    static Path lyingZipHeader(Path dir) throws IOException {
        Pickle p = new Pickle().dictOf(1, i -> "big", i -> new long[] {0}, new long[] {1L << 28}, new long[] {1});
        Path file = zip(dir.resolve("lying-zip-header.pt"), p.bytes(), floats(16, 0), false);
        patchCentralSize(file, "archive/data/0", 0x7ffffff0L);
        return file;
    }

    /** A pickle of 4 million EMPTY_DICT opcodes (under the limit): hundreds of MB of heap, if built. */
    static Path pickleBomb(Path dir) throws IOException {
        byte[] bomb = new byte[(int) HUGE_PICKLE_LIMIT - 1];
        java.util.Arrays.fill(bomb, (byte) PickleOp.EMPTY_DICT.code);
        bomb[0] = (byte) PickleOp.PROTO.code;
        bomb[1] = 2;
        bomb[bomb.length - 1] = (byte) PickleOp.STOP.code;
        return zip(dir.resolve("pickle-bomb.pt"), bomb, null, false);
    }

    /** A data.pkl of 5 MiB (one long key), over the limit {@link #HUGE_PICKLE_LIMIT} the read is given. */
    static Path hugePickle(Path dir) throws IOException {
        Pickle p = new Pickle()
                .proto()
                .op(PickleOp.EMPTY_DICT)
                .str("k".repeat(5 << 20))
                .tensor("0", 0, new long[] {1}, new long[] {1})
                .op(PickleOp.SETITEM)
                .op(PickleOp.STOP);
        return zip(dir.resolve("huge-pickle.pt"), p.bytes(), floats(1, 0), false);
    }

    /** A size whose element count overflows 64 bits. */
    static Path overflow(Path dir) throws IOException {
        Pickle p = new Pickle().dictOf(1, i -> "x", i -> new long[] {0}, new long[] {1L << 62, 4}, new long[] {0, 0});
        return zip(dir.resolve("overflow.pt"), p.bytes(), floats(1, 0), false);
    }

    /** A key whose bytes are not UTF-8. */
    static Path nonUtf8Key(Path dir) throws IOException {
        Pickle p = new Pickle().proto().op(PickleOp.EMPTY_DICT).op(PickleOp.SHORT_BINUNICODE);
        p.out.write(3);
        p.out.write(new byte[] {'w', (byte) 0xff, (byte) 0xfe}, 0, 3);
        p.tensor("0", 0, new long[] {1}, new long[] {1}).op(PickleOp.SETITEM).op(PickleOp.STOP);
        return zip(dir.resolve("non-utf8-key.pt"), p.bytes(), floats(1, 0), false);
    }

    // ---- building blocks -------------------------------------------------------------------------

    /** {@code n} little-endian float32: first, first+1, ... */
    static byte[] floats(int n, float first) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(first + i);
        }
        return b.array();
    }

    /** A zip with {@code archive/data.pkl} and, unless null, the record {@code archive/data/0}. */
    static Path zip(Path file, byte[] pickle, byte[] record0, boolean deflate) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream z = new ZipOutputStream(out)) {
            put(z, "archive/data.pkl", pickle, deflate);
            if (record0 != null) {
                put(z, "archive/data/0", record0, deflate);
            }
        }
        return file;
    }

    private static void put(ZipOutputStream z, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (!deflate) {
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    // Rewrites the sizes (compressed and uncompressed) of entry `name` in the zip's central directory.
    private static void patchCentralSize(Path file, String name, long size) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        for (int i = all.length - 46; i >= 0; i--) {
            if (all[i] == 'P'
                    && all[i + 1] == 'K'
                    && all[i + 2] == 1
                    && all[i + 3] == 2
                    && java.util.Arrays.equals(all, i + 46, i + 46 + key.length, key, 0, key.length)) {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    ByteBuffer b = ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putInt((int) size)
                            .putInt((int) size);
                    raf.seek(i + 20);
                    raf.write(b.array());
                }
                return;
            }
        }
        throw new IOException("no central directory entry " + name);
    }

    /** Pickle opcodes written by hand (protocol 2), independent of the writer under test. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(PickleOp op) {
            out.write(op.code);
            return this;
        }

        Pickle proto() {
            return op(PickleOp.PROTO).raw(2);
        }

        Pickle raw(int b) {
            out.write(b);
            return this;
        }

        Pickle global(String module, String name) {
            op(PickleOp.GLOBAL);
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(PickleOp.BINUNICODE)
                    .raw(b.length & 0xff)
                    .raw(b.length >>> 8 & 0xff)
                    .raw(b.length >>> 16 & 0xff)
                    .raw(b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            op(PickleOp.LONG1).raw(8);
            for (int k = 0; k < 8; k++) {
                raw((int) (v >>> (8 * k)) & 0xff);
            }
            return this;
        }

        Pickle longs(long[] values) {
            op(PickleOp.MARK);
            for (long v : values) {
                integer(v);
            }
            return op(PickleOp.TUPLE);
        }

        /** _rebuild_tensor_v2 of a float32 view of storage {@code key}. */
        Pickle tensor(String key, long offset, long[] size, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op(PickleOp.MARK);
            op(PickleOp.MARK)
                    .str("storage")
                    .global("torch", "FloatStorage")
                    .str(key)
                    .str("cpu")
                    .integer(1)
                    .op(PickleOp.TUPLE)
                    .op(PickleOp.BINPERSID);
            integer(offset).longs(size).longs(stride).op(PickleOp.NEWFALSE);
            global("collections", "OrderedDict").op(PickleOp.EMPTY_TUPLE).op(PickleOp.REDUCE);
            return op(PickleOp.TUPLE).op(PickleOp.REDUCE);
        }

        /** {name(i): view of storage '0' at offset(i)[0], size, stride} for i < n, and STOP. */
        Pickle dictOf(
                int n,
                java.util.function.IntFunction<String> name,
                java.util.function.IntFunction<long[]> offset,
                long[] size,
                long[] stride) {
            proto().op(PickleOp.EMPTY_DICT).op(PickleOp.MARK);
            for (int i = 0; i < n; i++) {
                str(name.apply(i)).tensor("0", offset.apply(i)[0], size, stride);
            }
            return op(PickleOp.SETITEMS).op(PickleOp.STOP);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
