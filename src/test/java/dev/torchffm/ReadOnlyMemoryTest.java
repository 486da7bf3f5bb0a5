package dev.torchffm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchffm.optim.SGD;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tensor borrowed from a read-only file mapping refuses every write before any native call. */
class ReadOnlyMemoryTest {
    private static final float[] VALUES = {1, 2, 3, 4, 5, 6};

    @TempDir
    Path dir;

    private Path file() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(VALUES.length * 4).order(ByteOrder.nativeOrder());
        for (float v : VALUES) {
            bytes.putFloat(v);
        }
        Path f = dir.resolve("floats.bin");
        Files.write(f, bytes.array());
        return f;
    }

    private void withMapping(Consumer<MemorySegment> test) throws IOException {
        Path f = file();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            assertTrue(mapped.isReadOnly());
            test.accept(mapped);
        }
        ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.nativeOrder());
        for (float v : VALUES) {
            assertEquals(v, after.getFloat(), "the file must be unchanged");
        }
    }

    @Test
    void readsWorkAndEveryWriteIsRefused() throws IOException {
        withMapping(mapped -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor t = Tensor.borrow(mapped, DType.FLOAT32, 2, 3);
                assertTrue(t.isReadOnly());
                assertArrayEquals(VALUES, t.toFloatArray());
                assertEquals(21.0, t.sum().item(), 0);
                Tensor ones = Tensor.ones(DType.FLOAT32, Device.CPU, 2, 3);
                List<Runnable> writes = List.of(
                        () -> t.addInPlace(ones),
                        () -> t.assign(ones),
                        () -> t.requiresGrad(true),
                        t::zeroGrad,
                        () -> Init.zeros(t),
                        () -> Init.uniform(t, 0, 1),
                        () -> Init.kaimingUniform(t, 1),
                        () -> Init.xavierUniform(t, 1),
                        () -> new SGD(List.of(t), SGD.Options.lr(0.1)).close());
                long live = Torch.liveTensors();
                for (Runnable write : writes) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, write::run);
                    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
                }
                assertEquals(live, Torch.liveTensors(), "no native object made by a refused write");
                assertArrayEquals(VALUES, t.toFloatArray());
            }
        });
    }

    @Test
    void viewsStayReadOnlyAndCopiesAreWritable() throws IOException {
        withMapping(mapped -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor t = Tensor.borrow(mapped, DType.FLOAT32, 2, 3);
                Tensor ones = Tensor.ones(DType.FLOAT32, Device.CPU, 3);
                for (Tensor view : List.of(
                        t.reshape(6),
                        t.narrow(0, 1, 1),
                        t.flatten(0, 1),
                        t.detach(),
                        t.share(),
                        t.to(Device.CPU),
                        t.to(DType.FLOAT32))) {
                    assertTrue(view.isReadOnly(), "a view of read-only memory is read-only");
                    assertThrows(IllegalStateException.class, () -> view.assign(view.deepCopy()));
                }
                assertThrows(
                        IllegalStateException.class,
                        () -> t.narrow(0, 0, 1).reshape(3).addInPlace(ones));
                for (Tensor copy : List.of(
                        t.deepCopy(),
                        t.to(DType.FLOAT64),
                        t.add(1),
                        t.reshape(3, 2).matmul(t))) {
                    assertFalse(copy.isReadOnly(), "a copy owns its memory");
                }
                Tensor c = t.deepCopy().addInPlace(Tensor.ones(DType.FLOAT32, Device.CPU, 2, 3));
                assertEquals(27.0, c.sum().item(), 0);
                assertArrayEquals(VALUES, t.toFloatArray());
            }
        });
    }

    @Test
    void copyToAReadOnlySegmentIsRefused() throws IOException {
        withMapping(mapped -> {
            try (Tensor t = Tensor.of(new float[] {9, 9, 9, 9, 9, 9}, 6)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.writeTo(mapped));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
                float[] heap = new float[6];
                t.writeTo(MemorySegment.ofArray(heap)); // heap memory is writable
                assertArrayEquals(new float[] {9, 9, 9, 9, 9, 9}, heap);
                assertThrows(
                        IllegalArgumentException.class,
                        () -> t.writeTo(MemorySegment.ofArray(heap).asReadOnly()));
            }
        });
    }

    @Test
    void aReadOnlyHeapOrNativeSegmentCanBeCopiedFrom() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ro =
                    arena.allocateFrom(ValueLayout.JAVA_FLOAT, VALUES).asReadOnly();
            try (Tensor t = Tensor.copyOf(ro, DType.FLOAT32, Device.CPU, 6)) {
                assertFalse(t.isReadOnly());
                assertArrayEquals(VALUES, t.toFloatArray());
            }
            try (Tensor t = Tensor.borrow(ro, DType.FLOAT32, 6)) {
                assertTrue(t.isReadOnly());
                assertThrows(IllegalStateException.class, () -> Init.zeros(t));
            }
        }
    }
}
