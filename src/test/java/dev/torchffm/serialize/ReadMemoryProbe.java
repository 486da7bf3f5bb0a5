package dev.torchffm.serialize;

import dev.torchffm.TensorScope;
import dev.torchffm.Torch;
import dev.torchffm.data.IdxFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run by {@link ReadMemoryTest} in a child JVM: reads each file given (after one warm-up read) and
 * prints, per file, by how much the process's peak resident memory rose above its resident memory
 * before the read. The peak is reset before each read through {@code /proc/self/clear_refs}.
 *
 * <p>Arguments: the warm-up checkpoint, then {@code name=path} pairs; paths ending in
 * {@code -ubyte} or {@code -ubyte.gz} are read as IDX files. Output lines: {@code case <name> <kB> <outcome>}.
 */
public final class ReadMemoryProbe {
    private ReadMemoryProbe() {}

    public static void main(String[] args) throws IOException {
        Torch.version();
        read(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            Path file = Path.of(args[i].substring(name.length() + 1));
            System.gc();
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // peak := current
            long before = status("VmRSS");
            String outcome;
            try {
                outcome = "read " + read(file);
            } catch (RuntimeException e) {
                outcome = "refused " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            System.out.println("case " + name + " " + (status("VmHWM") - before) + " " + outcome.replace('\n', ' '));
        }
    }

    private static int read(Path file) {
        if (file.getFileName().toString().matches(".*-ubyte(\\.gz)?")) {
            try (Arena arena = Arena.ofConfined()) {
                return IdxFile.read(file, arena, 0).count();
            }
        }
        try (TensorScope scope = TensorScope.open()) {
            return StateDict.read(file).size();
        }
    }

    private static long status(String field) throws IOException {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in /proc/self/status");
        }
        return Long.parseLong(m.group(1));
    }
}
