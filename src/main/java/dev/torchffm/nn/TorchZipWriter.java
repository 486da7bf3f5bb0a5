package dev.torchffm.nn;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a dict of str to Tensor exactly as Python's {@code torch.save(net.state_dict(), f)} does: a
 * zip archive whose {@code data.pkl} pickles a {@code collections.OrderedDict} of
 * {@code torch._utils._rebuild_tensor_v2} calls on storages kept in {@code data/<key>} records. Only
 * globals that {@code torch.load(f, weights_only=True)} allows appear, so every PyTorch from 1.6 on
 * loads the file with its safe default. (LibTorch's own pickler tags the dict with
 * {@code torch.jit._pickle.restore_type_tag}, which PyTorch 2.6 and later refuse by default.)
 */
final class TorchZipWriter {
    private static final String ARCHIVE = "archive/";

    private TorchZipWriter() {}

    static void write(Path file, Map<String, Tensor> tensors) {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out);
                TensorScope scope = TensorScope.open(); NoGrad g = Torch.noGrad()) {
            Pickle pickle = new Pickle();
            pickle.proto();
            pickle.global("collections", "OrderedDict").emptyTuple().reduce();
            pickle.mark();
            java.util.List<Tensor> storages = new java.util.ArrayList<>();
            for (var e : tensors.entrySet()) {
                Tensor t = e.getValue().detach().to(Device.CPU).copy(); // a contiguous CPU copy
                pickle.string(e.getKey());
                rebuildTensor(pickle, t, Integer.toString(storages.size()));
                storages.add(t);
            }
            pickle.setItems().stop();
            // data.pkl first, as torch.save writes it; the records are found by name.
            stored(zip, ARCHIVE + "data.pkl", pickle.bytes());
            stored(zip, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                stored(zip, ARCHIVE + "data/" + i, bytes(storages.get(i)));
            }
            stored(zip, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())
    private static void rebuildTensor(Pickle p, Tensor t, String storage) {
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.mark();
        p.mark().string("storage").global("torch", storageClass(t.dtype())).string(storage).string("cpu")
                .integer(t.numel()).tuple().persistentId();
        p.integer(0).longs(shape).longs(stride).bool(false);
        p.global("collections", "OrderedDict").emptyTuple().reduce();
        p.tuple().reduce();
    }

    private static String storageClass(DType t) {
        return switch (t) {
            case FLOAT32 -> "FloatStorage";
            case FLOAT64 -> "DoubleStorage";
            case INT64 -> "LongStorage";
            case INT32 -> "IntStorage";
            case UINT8 -> "ByteStorage";
            case INT8 -> "CharStorage";
            case BOOL -> "BoolStorage";
        };
    }

    private static byte[] bytes(Tensor t) {
        long n = t.numel() * t.dtype().byteSize();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of " + n + " bytes is too large for a checkpoint record");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(n, 1), 8).asSlice(0, n);
            t.copyTo(seg);
            return seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE); // native order: little-endian on x86-64
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** The few pickle opcodes (protocol 2) a state_dict needs. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle proto() {
            out.write(0x80);
            out.write(2);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle mark() {
            out.write('(');
            return this;
        }

        Pickle tuple() {
            out.write('t');
            return this;
        }

        Pickle emptyTuple() {
            out.write(')');
            return this;
        }

        Pickle reduce() {
            out.write('R');
            return this;
        }

        Pickle persistentId() {
            out.write('Q');
            return this;
        }

        Pickle setItems() {
            out.write('u');
            return this;
        }

        Pickle stop() {
            out.write('.');
            return this;
        }

        Pickle bool(boolean b) {
            out.write(b ? 0x88 : 0x89);
            return this;
        }

        Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X'); // BINUNICODE: 4-byte little-endian length
            int n = b.length;
            out.write(n);
            out.write(n >>> 8);
            out.write(n >>> 16);
            out.write(n >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                int i = (int) v;
                out.write('J'); // BININT: 4-byte signed little-endian
                out.write(i);
                out.write(i >>> 8);
                out.write(i >>> 16);
                out.write(i >>> 24);
            } else {
                out.write(0x8a); // LONG1: 8 bytes, two's complement little-endian
                out.write(8);
                for (int k = 0; k < 8; k++) {
                    out.write((int) (v >>> (8 * k)));
                }
            }
            return this;
        }

        Pickle longs(long[] values) {
            mark();
            for (long v : values) {
                integer(v);
            }
            return tuple();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
