package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every dtype, scalars and empty tensors survive a write and a read; Python reads them safely. */
class TorchZipWriterTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f32", Tensor.of(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3));
        m.put("f64", Tensor.of(new double[] {Math.PI}, 1));
        m.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
        m.put("i32", Tensor.of(new int[] {-7, 7}, 2));
        m.put("u8", Tensor.of(new byte[] {0, (byte) 255}, DType.UINT8, 2));
        m.put("bool", Tensor.of(new byte[] {1, 0, 1}, DType.BOOL, 3));
        m.put("scalar", Tensor.scalar(42f));
        m.put("empty", Tensor.of(new float[0], 0, 4));
        return m;
    }

    @Test
    void roundTrip() {
        Path file = dir.resolve("mixed.pt");
        try (TensorScope s = TensorScope.open()) {
            Map<String, Tensor> in = sample();
            TorchZipWriter.write(file, in);
            Map<String, Tensor> out = StateDict.read(file);
            assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()));
            in.forEach((k, t) -> {
                Tensor r = out.get(k);
                assertEquals(t.dtype(), r.dtype(), k);
                assertArrayEquals(t.shape(), r.shape(), k);
                if (t.numel() > 0) {
                    assertArrayEquals(
                            t.to(DType.FLOAT64).toDoubleArray(),
                            r.to(DType.FLOAT64).toDoubleArray(),
                            k);
                }
            });
            assertArrayEquals(in.get("i64").toLongArray(), out.get("i64").toLongArray());
        }
    }

    @Test
    void pythonLoadsEveryDTypeWithWeightsOnly() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        Path file = dir.resolve("mixed.pt");
        try (TensorScope s = TensorScope.open()) {
            TorchZipWriter.write(file, sample());
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", """
                import sys, torch
                d = torch.load(sys.argv[1], weights_only=True)
                print(' '.join(f'{k}:{str(v.dtype)[6:]}:{list(v.shape)}:{v.double().sum().item() if v.numel() else 0}'
                               for k, v in d.items()))
                """, file.toString())
                .redirectErrorStream(true)
                .start();
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(
                "f32:float32:[2, 3]:17.5 f64:float64:[1]:3.141592653589793 i64:int64:[3]:0.0 i32:int32:[2]:0.0"
                        + " u8:uint8:[2]:255.0 bool:bool:[3]:2.0 scalar:float32:[]:42.0 empty:float32:[0, 4]:0",
                out);
    }

    // ---- atomic saves: a failure midway leaves the previous file --------------------------------

    @Test
    void aSaveThatFailsMidwayLeavesThePreviousFile() throws Exception {
        Path file = dir.resolve("ckpt.pt");
        try (TensorScope s = TensorScope.open()) {
            TorchZipWriter.write(file, sample());
            byte[] before = Files.readAllBytes(file);
            Map<String, Tensor> other = Map.of("w", Tensor.ones(DType.FLOAT32, Device.CPU, 1000));
            for (long failAt : new long[] {0, 100, 2500}) { // in the pickle, in the middle of the record
                UncheckedIOException e = assertThrows(
                        UncheckedIOException.class,
                        () -> TorchZipWriter.write(file, other, out -> new FailingStream(out, failAt)));
                assertTrue(
                        e.getMessage().contains(file.toString())
                                && e.getMessage().contains("disk full"),
                        e.getMessage());
                assertArrayEquals(before, Files.readAllBytes(file), "the previous file is intact");
                assertEquals(List.of(file), listDir(), "no temporary file is left");
            }
            assertEquals(
                    List.copyOf(sample().keySet()),
                    List.copyOf(StateDict.read(file).keySet()));
        }
    }

    @Test
    void aSaveThatFailsOnAClosedTensorLeavesThePreviousFileOrNone() throws Exception {
        Path file = dir.resolve("ckpt.pt");
        Path fresh = dir.resolve("fresh.pt");
        try (TensorScope s = TensorScope.open()) {
            TorchZipWriter.write(file, sample());
            byte[] before = Files.readAllBytes(file);
            Tensor closed = Tensor.ones(DType.FLOAT32, Device.CPU, 2);
            closed.close();
            Map<String, Tensor> bad = new LinkedHashMap<>(sample());
            bad.put("closed", closed);
            assertThrows(IllegalStateException.class, () -> TorchZipWriter.write(file, bad));
            assertThrows(IllegalStateException.class, () -> TorchZipWriter.write(fresh, bad));
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(List.of(file), listDir(), "neither a temporary file nor fresh.pt");
        }
    }

    @Test
    void aSaveReplacesTheFileWhole() throws Exception {
        Path file = dir.resolve("ckpt.pt");
        try (TensorScope s = TensorScope.open()) {
            TorchZipWriter.write(file, sample());
            TorchZipWriter.write(file, Map.of("only", Tensor.of(new float[] {7f}, 1)));
            Map<String, Tensor> d = StateDict.read(file);
            assertEquals(List.of("only"), List.copyOf(d.keySet()));
            assertArrayEquals(new float[] {7f}, d.get("only").toFloatArray());
            assertEquals(List.of(file), listDir());
        }
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** A stream that fails like a full disk once {@code limit} bytes went through. */
    private static final class FailingStream extends FilterOutputStream {
        private long left;

        FailingStream(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left-- <= 0) {
                throw new IOException("disk full (injected by the test)");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }
}
