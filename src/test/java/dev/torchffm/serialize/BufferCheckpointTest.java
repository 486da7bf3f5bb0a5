package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.torchffm.NoGrad;
import dev.torchffm.Tensor;
import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.nn.BatchNorm2d;
import dev.torchffm.nn.Conv2d;
import dev.torchffm.nn.Sequential;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatchNorm's buffers (running statistics, num_batches_tracked) travel in checkpoints both ways:
 * Python loads Java's file with weights_only=True and a strict load_state_dict, and Java loads the
 * file Python saves after changing the statistics; both give the same eval outputs.
 */
class BufferCheckpointTest {
    private static final String PY = """
            import json, sys, torch
            from torch import nn
            net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
            net.load_state_dict(torch.load(sys.argv[1], weights_only=True))
            net.eval()
            x = torch.arange(50, dtype=torch.float32).reshape(2, 1, 5, 5) / 50
            out = {"java": net(x).flatten().tolist(), "tracked": int(net[1].num_batches_tracked)}
            net.train()
            with torch.no_grad():
                net(x * 3 + 1)
            torch.save(net.state_dict(), sys.argv[2])
            net.eval()
            out["python"] = net(x).flatten().tolist()
            print(json.dumps(out))
            """;

    @TempDir
    Path dir;

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void batchNormStatisticsRoundTripThroughPython() throws Exception {
        assumeTrue(StateDictTest.pythonTorch(), "python3-torch is not installed");
        Path fromJava = dir.resolve("java.pt");
        Path fromPython = dir.resolve("python.pt");
        float[] xs = new float[50];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i / 50f;
        }
        try (Sequential net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
                TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(xs, 2, 1, 5, 5);
            try (NoGrad g = Torch.noGrad()) {
                net.forward(x.mul(2)); // training mode: non-default running statistics
            }
            StateDict.save(net, fromJava);
            net.eval();
            float[] javaOut = net.forward(x).toFloatArray();

            Process p = new ProcessBuilder("/usr/bin/python3", "-c", PY, fromJava.toString(), fromPython.toString())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), log);
            JsonObject out = JsonParser.parseString(
                            log.lines().reduce((a, b) -> b).orElseThrow())
                    .getAsJsonObject();
            assertArrayEquals(javaOut, floats(out.getAsJsonArray("java")), 1e-6f);
            assertEquals(1, out.get("tracked").getAsInt());

            StateDict.load(net, fromPython);
            assertArrayEquals(
                    floats(out.getAsJsonArray("python")), net.forward(x).toFloatArray(), 1e-6f);
            assertEquals(2.0, net.stateDict().get("1.num_batches_tracked").item());
        }
    }
}
