package dev.torchffm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux); -1 where unavailable. */
final class ProcessStats {
    private ProcessStats() {}

    /** Current resident set size in kB. */
    static long rssKb() {
        return field("VmRSS:");
    }

    /** Peak resident set size in kB. */
    static long peakRssKb() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
