package dev.torchffm.serialize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchffm.ChildJvm;
import dev.torchffm.TensorScope;
import dev.torchffm.models.LeNet;
import dev.torchffm.nn.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound for reading files (README, "Guarantees"): reading each hostile file of
 * {@link HostileCheckpoints}, and IDX files that declare two million images in 100 bytes, raises
 * the peak resident memory of a fresh JVM by at most {@value #PER_FILE_BYTE} times the file's size
 * plus the tensors a correct read returns, plus {@value #SLACK_MIB} MiB for the JVM's own noise. The
 * attacks would take between 128 MiB and several GiB.
 */
class ReadMemoryTest {
    static final int PER_FILE_BYTE = 20;
    static final int SLACK_MIB = 32;

    @TempDir
    Path dir;

    @Test
    void peakMemoryFollowsWhatTheFileHolds() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/proc/self/clear_refs")), "needs Linux /proc/self/clear_refs");
        Path warmUp = dir.resolve("warm-up.pt");
        try (Sequential net = LeNet.classic();
                TensorScope s = TensorScope.open()) {
            StateDict.save(net, warmUp);
        }
        Map<String, Long> callerBytes = new HashMap<>();
        Map<String, Path> files = new HashMap<>();
        List<String> args = new ArrayList<>(List.of(warmUp.toString()));
        for (HostileCheckpoints.Case c : HostileCheckpoints.CASES) {
            Path file = c.writer().write(dir);
            files.put(c.name(), file);
            callerBytes.put(c.name(), c.refusal() == null ? c.callerBytes() : -1);
            args.add(c.name() + "=" + file);
        }
        byte[] idx = idxDeclaringTwoMillionImages();
        files.put("idx-raw", Files.write(dir.resolve("huge-images-idx3-ubyte"), idx));
        files.put("idx-gz", Files.write(dir.resolve("huge-images-idx3-ubyte.gz"), gzip(idx)));
        for (String name : List.of("idx-raw", "idx-gz")) {
            callerBytes.put(name, -1L);
            args.add(name + "=" + files.get(name));
        }

        List<String> lines = probe(args);
        assertEquals(callerBytes.size(), lines.size(), String.join("\n", lines));
        for (String line : lines) {
            String[] f = line.split(" ", 4); // case name kB outcome
            long peak = Long.parseLong(f[2]) * 1024;
            long caller = callerBytes.get(f[1]);
            assertEquals(caller < 0 ? "refused" : "read", f[3].substring(0, f[3].indexOf(' ')), line);
            assertTrue(!f[3].contains("OutOfMemoryError"), line);
            long bound = PER_FILE_BYTE * Files.size(files.get(f[1])) + Math.max(caller, 0) + ((long) SLACK_MIB << 20);
            assertTrue(
                    peak <= bound,
                    f[1] + ": peak rose by " + peak + " bytes, over the bound of " + bound + " (" + line + ")");
        }
    }

    // A 100-byte IDX file whose header declares 2,000,000 28x28 images (1.5 GB).
    private static byte[] idxDeclaringTwoMillionImages() {
        return ByteBuffer.allocate(100)
                .put(new byte[] {0, 0, 8, 3})
                .putInt(2_000_000)
                .putInt(28)
                .putInt(28)
                .array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    // Runs ReadMemoryProbe in a fresh JVM with this JVM's class path and torchffm settings.
    private static List<String> probe(List<String> files) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC",
                "-Xmn8m",
                "-Xmx1g",
                "-XX:TieredStopAtLevel=1", // C1 only: C2's compiler arenas would add tens of MB of noise
                "-D" + ReadLimits.MAX_PICKLE_BYTES + "=" + HostileCheckpoints.HUGE_PICKLE_LIMIT));
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("torchffm.") && !k.startsWith("torchffm.checkpoint."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", ChildJvm.classPath(ReadMemoryProbe.class), ReadMemoryProbe.class.getName()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        System.out.println(out.strip());
        return out.lines().filter(l -> l.startsWith("case ")).toList();
    }
}
