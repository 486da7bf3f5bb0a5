package dev.torchffm.serialize;

import dev.torchffm.Device;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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
 *
 * <p>The archive is written to a temporary file in the target's folder and then moved over the
 * target in one step, so a save that fails midway leaves the previous file as it was.
 */
final class TorchZipWriter {
    private static final String ARCHIVE = "archive/";
    private static final int BUFFER = 1 << 16;

    private TorchZipWriter() {}

    static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, UnaryOperator.identity());
    }

    /** As {@link #write(Path, Map)}, with the file's stream wrapped by {@code wrap} (tests inject failures). */
    static void write(Path file, Map<String, Tensor> tensors, UnaryOperator<OutputStream> wrap) {
        Path target = file.toAbsolutePath();
        Path temp;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        boolean moved = false;
        try {
            try (OutputStream out = wrap.apply(Files.newOutputStream(temp))) {
                writeArchive(out, tensors);
            }
            move(temp, target);
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // the failure that got here matters more; the temporary file is named after the target
                }
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeArchive(OutputStream out, Map<String, Tensor> tensors) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out);
                TensorScope scope = TensorScope.open();
                NoGrad g = Torch.noGrad()) {
            PickleWriter pickle = new PickleWriter().proto();
            pickle.global("collections", "OrderedDict").op(PickleOp.EMPTY_TUPLE).op(PickleOp.REDUCE);
            pickle.op(PickleOp.MARK);
            List<Tensor> values = List.copyOf(tensors.values());
            int i = 0;
            for (var e : tensors.entrySet()) {
                pickle.string(e.getKey());
                rebuildTensor(pickle, e.getValue(), Integer.toString(i++));
            }
            pickle.op(PickleOp.SETITEMS).op(PickleOp.STOP);
            // data.pkl first, as torch.save writes it; the records are found by name.
            stored(zip, ARCHIVE + "data.pkl", pickle.bytes());
            stored(zip, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (i = 0; i < values.size(); i++) {
                try (Tensor t = values.get(i).detach().to(Device.CPU).deepCopy()) { // a contiguous CPU copy
                    record(zip, ARCHIVE + "data/" + i, t);
                }
            }
            stored(zip, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())
    private static void rebuildTensor(PickleWriter p, Tensor t, String storage) {
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.op(PickleOp.MARK);
        p.op(PickleOp.MARK)
                .string("storage")
                .global("torch", StorageType.of(t.dtype()).className)
                .string(storage)
                .string("cpu")
                .integer(t.numel())
                .op(PickleOp.TUPLE)
                .op(PickleOp.BINPERSID);
        p.integer(0).longs(shape).longs(stride).bool(false);
        p.global("collections", "OrderedDict").op(PickleOp.EMPTY_TUPLE).op(PickleOp.REDUCE);
        p.op(PickleOp.TUPLE).op(PickleOp.REDUCE);
    }

    // A tensor's bytes (native order: little-endian on x86-64) as a stored record, streamed from one copy.
    private static void record(ZipOutputStream zip, String name, Tensor t) throws IOException {
        long n = t.numel() * t.dtype().byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(n, 1), 8).asSlice(0, n);
            t.writeTo(data);
            CRC32 crc = new CRC32();
            for (long at = 0; at < n; at += Integer.MAX_VALUE) {
                crc.update(data.asSlice(at, Math.min(Integer.MAX_VALUE, n - at)).asByteBuffer());
            }
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(n);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
            for (long at = 0; at < n; at += buffer.length) {
                int m = (int) Math.min(buffer.length, n - at);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, buffer, 0, m);
                zip.write(buffer, 0, m);
            }
            zip.closeEntry();
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
}
