package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.DType;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
                    assertArrayEquals(t.to(DType.FLOAT64).toDoubleArray(), r.to(DType.FLOAT64).toDoubleArray(), k);
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
                """, file.toString()).redirectErrorStream(true).start();
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals("f32:float32:[2, 3]:17.5 f64:float64:[1]:3.141592653589793 i64:int64:[3]:0.0 i32:int32:[2]:0.0"
                + " u8:uint8:[2]:255.0 bool:bool:[3]:2.0 scalar:float32:[]:42.0 empty:float32:[0, 4]:0", out);
    }
}
