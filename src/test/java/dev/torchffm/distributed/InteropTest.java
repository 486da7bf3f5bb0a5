package dev.torchffm.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.torchffm.DType;
import dev.torchffm.Device;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Java rank and one Python rank (torch.distributed's ProcessGroupGloo, src/test/python/pg_peer.py)
 * in the same group agree on the results of an all-reduce and a broadcast, whichever hosts the store.
 */
class InteropTest {
    @ParameterizedTest(name = "Java is rank {0}")
    @ValueSource(ints = {0, 1})
    void javaAndPythonRanksAgree(int javaRank) throws Exception {
        assumeTrue(
                pythonDistributed(),
                "python3-torch with torch.distributed, of this process's LibTorch version, is not installed");
        int port = Ranks.freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        "/usr/bin/python3",
                        "src/test/python/pg_peer.py",
                        "127.0.0.1",
                        Integer.toString(port),
                        Integer.toString(1 - javaRank),
                        "2")
                .redirectErrorStream(true);
        pb.environment().put("GLOO_SOCKET_IFNAME", "lo");
        Process python = pb.start();
        try {
            float[] sum;
            double[] broadcast;
            try (ProcessGroup g = Ranks.join(port, javaRank, 2);
                    TensorScope s = TensorScope.open()) {
                Tensor summed = Tensor.of(new float[] {javaRank + 1, 10 * (javaRank + 1), 0.25f}, 3);
                g.allReduce(summed, ReduceOp.SUM);
                Tensor sent = Tensor.zeros(DType.FLOAT64, Device.CPU, 3).add((double) javaRank);
                g.broadcast(sent, 0);
                g.barrier();
                sum = summed.toFloatArray();
                broadcast = sent.toDoubleArray();
            }
            assertArrayEquals(new float[] {3, 30, 0.5f}, sum);
            assertArrayEquals(new double[] {0, 0, 0}, broadcast);
            assertEquals(true, python.waitFor(60, TimeUnit.SECONDS), "the Python rank did not finish");
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), out);
            String last = out.strip().lines().reduce((a, b) -> b).orElse("");
            JsonObject py = JsonParser.parseString(last).getAsJsonObject();
            for (int i = 0; i < 3; i++) {
                assertEquals(sum[i], py.getAsJsonArray("sum").get(i).getAsFloat(), 0f, out);
                assertEquals(broadcast[i], py.getAsJsonArray("broadcast").get(i).getAsDouble(), 0.0, out);
            }
        } finally {
            python.destroyForcibly();
        }
    }

    // TCPStore's wire protocol changed between LibTorch releases, and the suite also runs against other
    // LibTorch builds (native/check-libtorch.sh): the Python peer must have this process's major.minor.
    private static boolean pythonDistributed() throws Exception {
        try {
            Process p = new ProcessBuilder(
                            "/usr/bin/python3",
                            "-c",
                            "import torch, torch.distributed as d; assert d.is_available(); print(torch.__version__)")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && majorMinor(version).equals(majorMinor(Torch.version()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length < 2 ? version : parts[0] + "." + parts[1];
    }
}
